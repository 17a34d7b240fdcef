// Command sdkgen generates the Go, Node.js, Python and .NET SDKs of a Pulumi package from its
// schema, with the code generators of github.com/pulumi/pulumi/pkg/v3 (Go, Node.js, Python)
// and github.com/pulumi/pulumi-dotnet/pulumi-language-dotnet/v3 (.NET), without a CLI or a
// language host (`pulumi package gen-sdk` delegates to the language hosts, and the old hosts
// this project builds cannot generate code).
//
// Usage:
//
//	sdkgen [-go-tidy=false] [-dotnet-logo <png>] <schema.json> <outdir>
//
// It validates the schema (schema.BindSpec) and writes <outdir>/go, <outdir>/nodejs,
// <outdir>/python and <outdir>/dotnet; anything else in <outdir> is left alone. Every
// language is generated in memory first, so a schema or generator error leaves the previous
// output untouched; then each <outdir>/<lang> is deleted and written anew, so no stale file
// survives. Files are written in sorted order with fixed permissions: the same schema gives
// byte-identical output.
//
// The Go SDK is written flat: <outdir>/go is the root of the package whose import path is
// the schema's language.go.importBasePath. sdkgen writes a go.mod there (module = that path,
// requiring github.com/pulumi/pulumi/sdk/v3 and github.com/blang/semver, which the generated
// code imports, at the versions sdkgen itself was built with: the code is written against
// them), then runs `go mod tidy` in it, which completes go.mod and writes go.sum (the Go
// module proxy or the module cache must serve the dependencies). -go-tidy=false skips that:
// then build with GOFLAGS=-mod=mod. A Go program uses the SDK with
//
//	require pulumi-drs/sdk/go/drs v0.0.0
//	replace pulumi-drs/sdk/go/drs => ../path/to/<outdir>/go
//
// Apart from that `go mod tidy`, sdkgen works offline: the schema must be self-contained (a
// reference to another package's schema fails: sdkgen loads no provider plugin), and no
// generator reaches the network. The .NET generator downloads the NuGet package icon
// (logo.png, from the schema's logoUrl or a Pulumi logo on GitHub); sdkgen answers that
// request itself with the PNG given by -dotnet-logo, or else with a plain 64x64 square it
// draws.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/blang/semver"
	"github.com/hashicorp/hcl/v2"
	dotnetgen "github.com/pulumi/pulumi-dotnet/pulumi-language-dotnet/v3/codegen"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	nodejsgen "github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	pythongen "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// tool names the generator in the header of every generated file.
const tool = "pulumi-drs sdkgen"

// goDirective is the go line of the generated go.mod: the one sdk/v3 v3.274.1 declares.
const goDirective = "1.26.6"

var languages = []string{"go", "nodejs", "python", "dotnet"}

func main() {
	// A flag set of its own: imported packages register glog's flags on the global one.
	flags := flag.NewFlagSet("sdkgen", flag.ExitOnError)
	goTidy := flags.Bool("go-tidy", true, "run 'go mod tidy' in <outdir>/go after writing it")
	dotnetLogo := flags.String("dotnet-logo", "", "PNG `file` to ship as the .NET SDK's logo.png (default: a plain square)")
	flags.Usage = func() {
		fmt.Fprintf(flags.Output(), "usage: sdkgen [-go-tidy=false] [-dotnet-logo <png>] <schema.json> <outdir>\n")
		flags.PrintDefaults()
	}
	_ = flags.Parse(os.Args[1:]) // ExitOnError
	if flags.NArg() != 2 {
		flags.Usage()
		os.Exit(2)
	}
	logo, err := logoPNG(*dotnetLogo)
	if err != nil {
		fmt.Fprintf(os.Stderr, "sdkgen: %v\n", err)
		os.Exit(1)
	}
	// No generator reaches the network: every HTTP request made through the default
	// transport (only the .NET generator's logo download) is answered with the logo.
	http.DefaultTransport = logoTransport(logo)
	if err := run(flags.Arg(0), flags.Arg(1), *goTidy); err != nil {
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
	for i, lang := range languages {
		pkg, err := bind(spec, i == 0)
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
		cmd.Env = append(os.Environ(), "GOWORK=off")
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("go mod tidy in %s: %w", cmd.Dir, err)
		}
	}
	return nil
}

// bind validates the schema against the Pulumi package metaschema and binds it; report
// prints the diagnostics.
func bind(spec schema.PackageSpec, report bool) (*schema.Package, error) {
	pkg, diags, err := schema.BindSpec(spec, noLoader{}, schema.ValidationOptions{})
	for _, d := range diags {
		if !report {
			break
		}
		severity := "warning"
		if d.Severity == hcl.DiagError {
			severity = "error"
		}
		fmt.Fprintf(os.Stderr, "sdkgen: schema %s: %s", severity, d.Summary)
		if d.Detail != "" {
			fmt.Fprintf(os.Stderr, ": %s", d.Detail)
		}
		fmt.Fprintln(os.Stderr)
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

// goMod is the generated Go SDK's go.mod before `go mod tidy`: it requires the modules the
// generated code imports, at the versions sdkgen itself was built with (read from its build
// information; the generated code is written against them).
func goMod(module string) []byte {
	versions := map[string]string{}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Replace != nil {
				dep = dep.Replace
			}
			versions[dep.Path] = dep.Version
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "module %s\n\ngo %s\n\nrequire (\n", module, goDirective)
	for _, m := range goSDKImports {
		v := versions[m.path]
		if v == "" {
			v = m.fallback
		}
		fmt.Fprintf(&b, "\t%s %s\n", m.path, v)
	}
	b.WriteString(")\n")
	return []byte(b.String())
}

// goSDKImports are the modules the generated Go code imports (sorted by path), each with the
// version to use when the binary carries no build information (keep them equal to go.mod).
var goSDKImports = []struct{ path, fallback string }{
	{"github.com/blang/semver", "v3.5.1+incompatible"},
	{"github.com/pulumi/pulumi/sdk/v3", "v3.274.1"},
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

// logoPNG is the .NET SDK's logo.png: the given file, or a plain 64x64 square.
func logoPNG(file string) ([]byte, error) {
	if file != "" {
		return os.ReadFile(file)
	}
	img := image.NewNRGBA(image.Rect(0, 0, 64, 64))
	for y := 0; y < 64; y++ {
		for x := 0; x < 64; x++ {
			img.Set(x, y, color.NRGBA{R: 0x4d, G: 0x5b, B: 0xd9, A: 0xff})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// logoTransport answers every GET with the logo and sends nothing over the network.
type logoTransport []byte

func (t logoTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodGet {
		return nil, fmt.Errorf("sdkgen works offline: refused %s %s", req.Method, req.URL)
	}
	return &http.Response{
		Status:        "200 OK",
		StatusCode:    http.StatusOK,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        http.Header{"Content-Type": {"image/png"}},
		Body:          io.NopCloser(bytes.NewReader(t)),
		ContentLength: int64(len(t)),
		Request:       req,
	}, nil
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
