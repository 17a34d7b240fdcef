package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/sdkerr"
	drs "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/drs/v3"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/drs/v3/model"
)

// The lifecycle checks run on -lifecycle-job, a replicating job that they
// pause, resume, stop and delete: pointed at a real DRS endpoint they end
// that job for good.

// releaseWait bounds the wait for RELEASE_RESOURCE_COMPLETE before the delete.
const releaseWait = 30 * time.Second

// lifecycleChecks lists the checks of the lifecycle calls, in the order
// they run (each depends on the one before).
func lifecycleChecks(o options, client *drs.DrsClient) []check {
	job := o.lifecycleJob
	return []check{
		{"BatchStopJobs (pause)", func() (string, error) { return checkPause(client, job, "success", "") }},
		{"BatchListJobStatus after pause", func() (string, error) { return checkStatusIs(client, job, "PAUSING") }},
		{"BatchStopJobs again", func() (string, error) { return checkPause(client, job, "failed", "DRS.M00304") }},
		{"BatchRestoreTask (resume)", func() (string, error) { return checkResume(client, job) }},
		{"BatchDeleteJobs terminate", func() (string, error) {
			return checkDelete(client, job, model.GetDeleteJobReqDeleteTypeEnum().TERMINATE, "success", "")
		}},
		{"BatchDeleteJobs delete", func() (string, error) {
			if err := awaitStatus(client, job, "RELEASE_RESOURCE_COMPLETE", releaseWait); err != nil {
				return "", err
			}
			return checkDelete(client, job, model.GetDeleteJobReqDeleteTypeEnum().DELETE, "success", "")
		}},
		{"BatchDeleteJobs delete again", func() (string, error) {
			return checkDelete(client, job, model.GetDeleteJobReqDeleteTypeEnum().DELETE, "failed", "DRS.M05004")
		}},
	}
}

// checkPause pauses `job` (pause_mode target) and expects its own result
// `want` (with `wantCode` for a failure) in an HTTP 200.
func checkPause(client *drs.DrsClient, job, want, wantCode string) (string, error) {
	lang := model.GetBatchStopJobsRequestXLanguageEnum().EN_US
	mode := model.GetPauseInfoPauseModeEnum().TARGET
	resp, err := client.BatchStopJobs(&model.BatchStopJobsRequest{XLanguage: &lang, Body: &model.BatchPauseJobReq{Jobs: []model.PauseInfo{{JobId: job, PauseMode: mode}}}})
	if err != nil {
		return "", refused(err)
	}
	if resp.Count == nil || resp.Results == nil || *resp.Count != 1 || len(*resp.Results) != 1 {
		return "", fmt.Errorf("expected count 1 and one result, got %v", resp)
	}
	r := (*resp.Results)[0]
	return jobResult(resp.HttpStatusCode, 200, job, r.Id, r.Status, r.ErrorCode, r.ErrorMsg, want, wantCode)
}

// checkResume resumes the paused `job` and expects `success` in an HTTP 200
// and the job back in INCRE_TRANSFER_STARTED.
func checkResume(client *drs.DrsClient, job string) (string, error) {
	lang := model.GetBatchRestoreTaskRequestXLanguageEnum().EN_US
	resp, err := client.BatchRestoreTask(&model.BatchRestoreTaskRequest{XLanguage: &lang, Body: &model.BatchRetryReq{Jobs: []model.RetryInfo{{JobId: job}}}})
	if err != nil {
		return "", refused(err)
	}
	if resp.Count == nil || resp.Results == nil || *resp.Count != 1 || len(*resp.Results) != 1 {
		return "", fmt.Errorf("expected count 1 and one result, got %v", resp)
	}
	r := (*resp.Results)[0]
	detail, err := jobResult(resp.HttpStatusCode, 200, job, r.Id, r.Status, r.ErrorCode, r.ErrorMsg, "success", "")
	if err != nil {
		return "", err
	}
	status, err := statusOf(client, job)
	if err != nil {
		return "", err
	}
	if status != "INCRE_TRANSFER_STARTED" {
		return "", fmt.Errorf("job %s is %s after its resume, expected INCRE_TRANSFER_STARTED", job, status)
	}
	return fmt.Sprintf("%s; then %s", detail, status), nil
}

// checkDelete sends DELETE batch-jobs with `deleteType` for `job` and
// expects its own result `want` (with `wantCode`) in an HTTP 202. A job
// already deleted may also be refused as a whole (HTTP 400 with that code,
// Huawei's reading): accepted for a `failed` expectation.
func checkDelete(client *drs.DrsClient, job string, deleteType model.DeleteJobReqDeleteType, want, wantCode string) (string, error) {
	lang := model.GetBatchDeleteJobsRequestXLanguageEnum().EN_US
	resp, err := client.BatchDeleteJobs(&model.BatchDeleteJobsRequest{XLanguage: &lang, Body: &model.BatchDeleteJobReq{Jobs: []model.DeleteJobReq{{DeleteType: deleteType, JobId: job}}}})
	if err != nil {
		var se *sdkerr.ServiceResponseError
		if want == "failed" && errors.As(err, &se) && se.StatusCode == 400 && se.ErrorCode == wantCode {
			return fmt.Sprintf("refused: HTTP 400 %s %q", se.ErrorCode, se.ErrorMessage), nil
		}
		return "", refused(err)
	}
	if resp.Count == nil || resp.Results == nil || *resp.Count != 1 || len(*resp.Results) != 1 {
		return "", fmt.Errorf("expected count 1 and one result, got %v", resp)
	}
	r := (*resp.Results)[0]
	if r.Id == nil || r.Status == nil {
		return "", fmt.Errorf("result id or status did not decode: %v", r)
	}
	if err := inEnum("status", r.Status.Value(), model.GetDeleteJobRespStatusEnum()); err != nil {
		return "", err
	}
	detail, err := jobResult(resp.HttpStatusCode, 202, job, *r.Id, r.Status.Value(), r.ErrorCode, r.ErrorMsg, want, wantCode)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("delete_type %s: %s", deleteType.Value(), detail), nil
}

// jobResult checks one decoded per-job result against the expectation and
// describes it.
func jobResult(httpStatus, wantHTTP int, job, id, status string, code, msg *string, want, wantCode string) (string, error) {
	if httpStatus != wantHTTP {
		return "", fmt.Errorf("HTTP %d, expected %d", httpStatus, wantHTTP)
	}
	if id != job {
		return "", fmt.Errorf("result id %q, expected %s", id, job)
	}
	if status != want || deref(code) != wantCode || (want == "failed" && deref(msg) == "") {
		return "", fmt.Errorf("job %s: status %q %q %q, expected %s %s", job, status, deref(code), deref(msg), want, wantCode)
	}
	if want == "failed" {
		return fmt.Sprintf("HTTP %d; job %s failed %s %q", httpStatus, id, deref(code), deref(msg)), nil
	}
	return fmt.Sprintf("HTTP %d; job %s %s", httpStatus, id, status), nil
}

// checkStatusIs expects `job` in `want`, a value of the SDK's status enum.
func checkStatusIs(client *drs.DrsClient, job, want string) (string, error) {
	status, err := statusOf(client, job)
	if err != nil {
		return "", err
	}
	if status != want {
		return "", fmt.Errorf("job %s is %s, expected %s", job, status, want)
	}
	return fmt.Sprintf("job %s %s", job, status), nil
}

// statusOf reads one job's status through batch-status, checked against the SDK's enum.
func statusOf(client *drs.DrsClient, job string) (string, error) {
	cur, per := int32(1), int32(100)
	resp, err := client.BatchListJobStatus(&model.BatchListJobStatusRequest{Body: &model.BatchQueryJobReqPage{Jobs: []string{job}, PageReq: &model.PageReq{CurPage: &cur, PerPage: &per}}})
	if err != nil {
		return "", refused(err)
	}
	if resp.Results == nil || len(*resp.Results) != 1 || (*resp.Results)[0].Status == nil {
		return "", fmt.Errorf("expected one result with a status, got %v", resp)
	}
	status := (*resp.Results)[0].Status.Value()
	return status, inEnum("status", status, model.GetQueryJobStatusRespStatusEnum())
}

// awaitStatus polls `job` until it shows `want`, for at most `limit`.
func awaitStatus(client *drs.DrsClient, job, want string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		status, err := statusOf(client, job)
		if err != nil {
			return err
		}
		if status == want {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("job %s still %s after %s, expected %s", job, status, limit, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
