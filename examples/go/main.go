// Command drs-go starts one Open Telekom Cloud DRS job from a Pulumi Go program, through the
// generated Go SDK of the drs resource plugin (sdks/go), and waits until it replicates.
//
// Stack config: jobId (default: the emulator's seeded orders-replication job) and
// pollIntervalSeconds (optional; the provider's default is 10). The drs:* config (or the OS_*
// environment variables) says where DRS is and how to log in.
package main

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"pulumi-drs/sdk/go/drs"
)

// defaultJobID is the emulator's seeded orders-replication job (npm run emulator).
const defaultJobID = "140b5236-88ad-43c8-811c-1268453jb101"

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "")
		jobID := cfg.Get("jobId")
		if jobID == "" {
			jobID = defaultJobID
		}
		args := &drs.JobStartArgs{JobId: pulumi.String(jobID)}
		// Absent: the provider's default. Present but not a number: an error, not the default.
		if poll, err := cfg.TryFloat64("pollIntervalSeconds"); err == nil {
			args.PollIntervalSeconds = pulumi.Float64(poll)
		} else if !errors.Is(err, config.ErrMissingVar) {
			return fmt.Errorf("config pollIntervalSeconds: %w", err)
		}
		orders, err := drs.NewJobStart(ctx, "orders", args)
		if err != nil {
			return err
		}
		ctx.Export("jobId", orders.JobId)
		ctx.Export("status", orders.Status)
		ctx.Export("name", orders.Name)
		ctx.Export("progress", orders.Progress)
		return nil
	})
}
