package main

import (
	"context"
	"encoding/json"
	"time"
)

// runSweep sweeps the blob store once, as the workers' periodic task does
// every hour, and prints the outcome as JSON: for operators who want it
// now, after a restore or a crash, and for tests.
func runSweep(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "sweep", "usage: voxclone sweep [-grace DURATION]\n\nDeletes the stored files (VOXCLONE_BLOB_URL) that no sample, voice or history entry refers to and that are older than the grace period, counts the entries whose file is missing, and prints the outcome as JSON. Workers do this every hour.")
	grace := fs.Duration("grace", 0, "delete unreferenced files older than this (default VOXCLONE_BLOB_GRACE, 1h)")
	if err := noArguments(fs, args); err != nil {
		return err
	}
	cfg, err := LoadConfig(env.Getenv)
	if err != nil {
		return err
	}
	if *grace == 0 {
		*grace = cfg.BlobGrace
	} else if *grace < time.Second {
		return usagef("-grace %v is under a second", *grace)
	}
	d, err := openService(ctx, cfg, cfg.newLogger(env.Stderr))
	if err != nil {
		return err
	}
	defer d.close()
	res, err := d.svc.SweepBlobs(ctx, *grace)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(env.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(res)
}
