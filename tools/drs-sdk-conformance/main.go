// drs-sdk-conformance points the vendor's own Go SDK
// (github.com/huaweicloud/huaweicloud-sdk-go-v3, services/drs/v3) at a DRS
// endpoint, normally the project's emulator, and runs the calls pulumi-drs
// makes: the tenant job list, a start, batch-status and batch-progress, plus
// a start signed with a wrong secret key and a start of a job that already
// runs; then the lifecycle calls on a third job: pause (BatchStopJobs), a
// status check, a second pause, resume (BatchRestoreTask), stop and delete
// (BatchDeleteJobs terminate, delete, delete again). It prints one line per check and exits 1 when any call was refused,
// failed in transport, or answered with something the SDK's models did not
// decode into the fields checked.
//
// Usage (docs/emulator.md):
//
//	OS_ACCESS_KEY=... OS_SECRET_KEY=... go run . -endpoint http://127.0.0.1:8900 \
//	    -project <project id> -start-job <job in CONFIGURATION> -running-job <job already started> \
//	    -lifecycle-job <replicating job it may pause, resume, stop and delete>
//
// The secret key is read from OS_SECRET_KEY only (never a flag, so it stays
// out of process lists) and is never printed.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/config"
	drs "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/drs/v3"
)

// options are what the checks run against.
type options struct {
	endpoint   string
	projectID  string
	accessKey  string
	secretKey  string
	startJob   string
	runningJob string
	// lifecycleJob is paused, resumed, stopped and deleted.
	lifecycleJob string
	dbUseType    string
}

// wrongSecretKey signs the request that must be refused.
const wrongSecretKey = "drs-sdk-conformance-wrong-secret-key"

func main() {
	opts, err := parseOptions(os.Args[1:])
	if err != nil {
		fmt.Fprintf(os.Stderr, "drs-sdk-conformance: %v\n", err)
		os.Exit(2)
	}
	client, err := newClient(opts, opts.secretKey)
	if err != nil {
		fmt.Fprintf(os.Stderr, "drs-sdk-conformance: cannot build the SDK client: %v\n", err)
		os.Exit(2)
	}
	wrongKeyClient, err := newClient(opts, wrongSecretKey)
	if err != nil {
		fmt.Fprintf(os.Stderr, "drs-sdk-conformance: cannot build the SDK client: %v\n", err)
		os.Exit(2)
	}
	failed := 0
	checks := append(conformanceChecks(opts, client, wrongKeyClient), lifecycleChecks(opts, client)...)
	for _, c := range checks {
		detail, err := c.run()
		if err != nil {
			failed++
			fmt.Printf("FAIL %s: %v\n", c.name, err)
		} else {
			fmt.Printf("ok   %s: %s\n", c.name, detail)
		}
	}
	fmt.Printf("drs-sdk-conformance: %d of %d checks passed (huaweicloud-sdk-go-v3 against %s)\n", len(checks)-failed, len(checks), opts.endpoint)
	if failed > 0 {
		os.Exit(1)
	}
}

// parseOptions reads flags, with the DRS_ENDPOINT, OS_PROJECT_ID and
// OS_ACCESS_KEY variables as defaults, and OS_SECRET_KEY.
func parseOptions(args []string) (options, error) {
	fs := flag.NewFlagSet("drs-sdk-conformance", flag.ContinueOnError)
	var o options
	fs.StringVar(&o.endpoint, "endpoint", os.Getenv("DRS_ENDPOINT"), "DRS endpoint, e.g. http://127.0.0.1:8900 (default $DRS_ENDPOINT)")
	fs.StringVar(&o.projectID, "project", os.Getenv("OS_PROJECT_ID"), "project id (default $OS_PROJECT_ID)")
	fs.StringVar(&o.accessKey, "ak", os.Getenv("OS_ACCESS_KEY"), "access key (default $OS_ACCESS_KEY); the secret key is read from $OS_SECRET_KEY")
	fs.StringVar(&o.startJob, "start-job", "", "a job in CONFIGURATION: it is started")
	fs.StringVar(&o.runningJob, "running-job", "", "a job already started: its start must be refused with DRS.M00304")
	fs.StringVar(&o.lifecycleJob, "lifecycle-job", "", "a replicating job (INCRE_TRANSFER_STARTED): it is paused, resumed, stopped and deleted")
	fs.StringVar(&o.dbUseType, "db-use-type", "migration", "db_use_type of -start-job, for the tenant job list")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	o.secretKey = os.Getenv("OS_SECRET_KEY")
	missing := map[string]string{"-endpoint": o.endpoint, "-project": o.projectID, "-ak": o.accessKey, "OS_SECRET_KEY": o.secretKey, "-start-job": o.startJob, "-running-job": o.runningJob, "-lifecycle-job": o.lifecycleJob}
	for _, name := range []string{"-endpoint", "-project", "-ak", "OS_SECRET_KEY", "-start-job", "-running-job", "-lifecycle-job"} {
		if missing[name] == "" {
			return o, fmt.Errorf("%s is required (see -help)", name)
		}
	}
	if o.lifecycleJob == o.startJob || o.lifecycleJob == o.runningJob {
		return o, fmt.Errorf("-lifecycle-job must differ from -start-job and -running-job (it is stopped and deleted)")
	}
	if o.secretKey == wrongSecretKey {
		return o, fmt.Errorf("OS_SECRET_KEY must differ from the wrong key this program signs with")
	}
	return o, nil
}

// newClient builds the SDK's DRS client the way a user of the SDK would:
// BasicCredentials (AK/SK with the project id, so the SDK asks IAM for
// nothing) and the endpoint override. The SDK keeps an http:// endpoint as
// it is, so the emulator's plain HTTP on loopback needs no TLS.
func newClient(o options, secretKey string) (*drs.DrsClient, error) {
	credentials, err := basic.NewCredentialsBuilder().WithAk(o.accessKey).WithSk(secretKey).WithProjectId(o.projectID).SafeBuild()
	if err != nil {
		return nil, err
	}
	httpConfig := config.DefaultHttpConfig().WithTimeout(15 * time.Second).WithRetries(0)
	hc, err := drs.DrsClientBuilder().WithEndpoints([]string{o.endpoint}).WithCredential(credentials).WithHttpConfig(httpConfig).SafeBuild()
	if err != nil {
		return nil, err
	}
	return drs.NewDrsClient(hc), nil
}
