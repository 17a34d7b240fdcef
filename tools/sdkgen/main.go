// Command sdkgen generates the Go, Node.js, Python and .NET SDKs of a Pulumi package from its
// schema, with the code generators of github.com/pulumi/pulumi/pkg/v3 (Go, Node.js, Python)
// and github.com/pulumi/pulumi-dotnet/pulumi-language-dotnet/v3 (.NET), without a CLI or a
// language host (`pulumi package gen-sdk` delegates to the language hosts, and the old hosts
// this project builds cannot generate code).
//
// Usage:
//
//	sdkgen [-go-tidy=false] <schema.json> <outdir>
//
// It validates the schema (schema.BindSpec) and writes <outdir>/go, <outdir>/nodejs,
// <outdir>/python and <outdir>/dotnet. Every language is generated in memory first; only
// then is each <outdir>/<lang> deleted and written anew, so no stale file survives and a
// failed run leaves the previous output as it was. Files are written in sorted order with
// fixed permissions: the same schema gives byte-identical output.
//
// The Go SDK is written flat: <outdir>/go is the root of the package whose import path is
// the schema's language.go.importBasePath, and sdkgen writes a go.mod there (module = that
// path, requiring github.com/pulumi/pulumi/sdk/v3 at the release sdkgen was built with,
// the one the generated code is written against), then runs `go mod tidy` in it (the module
// proxy or the module cache must serve the dependencies; -go-tidy=false skips it and leaves
// a go.mod with the one requirement and no go.sum). A Go program uses the SDK with
//
//	require pulumi-drs/sdk/go/drs v0.0.0
//	replace pulumi-drs/sdk/go/drs => ../path/to/<outdir>/go
//
// The schema must be self-contained: a reference to another package's schema fails
// (sdkgen loads no provider plugin).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/blang/semver"
	dotnetgen "github.com/pulumi/pulumi-dotnet/pulumi-language-dotnet/v3/codegen"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	nodejsgen "github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	pythongen "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// tool names the generator in the header of every generated file.
const tool = "pulumi-drs sdkgen"

const sdkModule = "github.com/pulumi/pulumi/sdk/v3"

// fallbackSDKVersion is used when the binary carries no build information (it always does
// when built with `go build` from tools/sdkgen); keep it equal to go.mod's sdk/v3.
const fallbackSDKVersion = "v3.274.1"

// goDirective is the go line of the generated go.mod: the one sdk/v3 v3.274.1 declares.
const goDirective = "1.26.6"

var languages = []string{"go", "nodejs", "python", "dotnet"}

func main() {
	goTidy := flag.Bool("go-tidy", true, "run `go mod tidy` in <outdir>/go after writing it")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: sdkgen [-go-tidy=false] <schema.json> <outdir>\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 2 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(flag.Arg(0), flag.Arg(1), *goTidy); err != nil {
		fmt.Fprintf(os.Stderr, "sdkgen: %v\n", err)
		os.Exit(1)
	}
}

func run(schemaPath, outDir string, goTidy bool) error {
	raw, err := os.ReadFile(schemaPath)
	if err != nil {
		return err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return fmt.Errorf("%s: %w", schemaPath, err)
	}

	var goInfo struct {
		ImportBasePath  string `json:"importBasePath"`
		RootPackageName string `json:"rootPackageName"`
	}
	if rawGo, ok := spec.Language["go"]; ok {
		if err := json.Unmarshal(rawGo, &goInfo); err != nil {
			return fmt.Errorf("%s: language.go: %w", schemaPath, err)
		}
	}
	if goInfo.ImportBasePath == "" || goInfo.RootPackageName != "" {
		return errors.New("the schema must set language.go.importBasePath (and no rootPackageName): " +
			"it is the module path of the generated Go SDK")
	}

	// Each generator records its own language information in the package it is given, so
	// every language binds a fresh one.
	outputs := map[string]map[string][]byte{}
	for _, lang := range languages {
		pkg, err := bind(spec)
		if err != nil {
			return fmt.Errorf("%s: %w", schemaPath, err)
		}
		var files map[string][]byte
		switch lang {
		case "go":
			files, err = gogen.GeneratePackage(tool, pkg, nil)
			if err == nil {
				files, err = flattenGo(files, path.Base(goInfo.ImportBasePath))
			}
			if err == nil {
				files["go.mod"] = goMod(goInfo.ImportBasePath)
			}
		case "nodejs":
			files, err = nodejsgen.GeneratePackage(tool, pkg, nil, nil, false, noLoader{})
		case "python":
			files, err = pythongen.GeneratePackage(tool, pkg, nil, noLoader{})
		case "dotnet":
			files, err = dotnetgen.GeneratePackage(tool, pkg, nil, nil)
		}
		if err != nil {
			return fmt.Errorf("generating the %s SDK: %w", lang, err)
		}
		outputs[lang] = files
	}

	for _, lang := range languages {
		dir := filepath.Join(outDir, lang)
		if err := os.RemoveAll(dir); err != nil {
			return err
		}
		if err := writeFiles(dir, outputs[lang]); err != nil {
			return err
		}
		fmt.Printf("sdkgen: wrote %d files to %s\n", len(outputs[lang]), dir)
	}

	if goTidy {
		cmd := exec.Command("go", "mod", "tidy")
		cmd.Dir = filepath.Join(outDir, "go")
		cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("go mod tidy in %s: %w", cmd.Dir, err)
		}
	}
	return nil
}

// bind validates the schema against the Pulumi package metaschema and binds it.
func bind(spec schema.PackageSpec) (*schema.Package, error) {
	pkg, diags, err := schema.BindSpec(spec, noLoader{}, schema.ValidationOptions{})
	for _, d := range diags {
		fmt.Fprintf(os.Stderr, "sdkgen: schema: %v\n", d)
	}
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		return nil, errors.New("the schema has errors")
	}
	return pkg, nil
}

// flattenGo moves the Go files out of the package directory (<base of importBasePath>/) the
// generator puts them in, so that the output root is the Go module root.
func flattenGo(files map[string][]byte, root string) (map[string][]byte, error) {
	flat := make(map[string][]byte, len(files))
	for name, content := range files {
		switch {
		case strings.HasPrefix(name, root+"/"):
			name = strings.TrimPrefix(name, root+"/")
		case !strings.Contains(name, "/"):
			// top-level files such as .gitattributes
		default:
			return nil, fmt.Errorf("unexpected Go file %q outside %s/", name, root)
		}
		if _, dup := flat[name]; dup {
			return nil, fmt.Errorf("Go file %q generated twice", name)
		}
		flat[name] = content
	}
	return flat, nil
}

func goMod(module string) []byte {
	version := fallbackSDKVersion
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Path == sdkModule {
				if dep.Replace != nil {
					dep = dep.Replace
				}
				version = dep.Version
			}
		}
	}
	return []byte(fmt.Sprintf("module %s\n\ngo %s\n\nrequire %s %s\n", module, goDirective, sdkModule, version))
}

func writeFiles(dir string, files map[string][]byte) error {
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if rel, err := filepath.Rel(dir, p); err != nil || strings.HasPrefix(rel, "..") {
			return fmt.Errorf("generated file %q is outside %s", name, dir)
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, files[name], 0o644); err != nil {
			return err
		}
	}
	return nil
}

// noLoader is the schema loader: the schema must not reference other packages, so any load
// is an error (sdkgen starts no provider plugin).
type noLoader struct{}

var _ schema.ReferenceLoader = noLoader{}

func noPackage(name string) error {
	return fmt.Errorf("the schema references package %q; sdkgen only handles self-contained schemas", name)
}

func (noLoader) LoadPackage(pkg string, _ *semver.Version) (*schema.Package, error) {
	return nil, noPackage(pkg)
}

func (noLoader) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return nil, noPackage(d.Name)
}

func (noLoader) LoadPackageReference(pkg string, _ *semver.Version) (schema.PackageReference, error) {
	return nil, noPackage(pkg)
}

func (noLoader) LoadPackageReferenceV2(
	_ context.Context, d *schema.PackageDescriptor,
) (schema.PackageReference, error) {
	return nil, noPackage(d.Name)
}
