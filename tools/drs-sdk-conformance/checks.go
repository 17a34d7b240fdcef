package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/sdkerr"
	drs "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/drs/v3"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/drs/v3/model"
)

// check is one named call and what its answer must hold; run returns a
// one-line summary of what was seen, or why the check failed.
type check struct {
	name string
	run  func() (string, error)
}

// conformanceChecks lists the checks in the order they run: the wrong-key
// start comes before the real one, so a wrong key that started the job would
// make the real start fail.
func conformanceChecks(o options, client, wrongKeyClient *drs.DrsClient) []check {
	return []check{
		{"ShowJobList", func() (string, error) { return checkJobList(o, client) }},
		{"BatchStartJobs wrong secret key", func() (string, error) { return checkWrongKeyStart(o, wrongKeyClient) }},
		{"BatchStartJobs", func() (string, error) { return checkStart(o, client) }},
		{"BatchStartJobs wrong status", func() (string, error) { return checkWrongStatusStart(o, client) }},
		{"BatchListJobStatus", func() (string, error) { return checkStatus(o, client) }},
		{"BatchListProgresses", func() (string, error) { return checkProgress(o, client) }},
	}
}

// refused describes an error the SDK returned for a call that should have
// succeeded: a refusal (4xx/5xx), a 2xx answer the SDK could not decode into
// its model (it reports those as a ServiceResponseError with the 2xx
// status), or a transport error.
func refused(err error) error {
	var se *sdkerr.ServiceResponseError
	if errors.As(err, &se) && se.StatusCode >= 200 && se.StatusCode < 300 {
		return fmt.Errorf("parse error: the HTTP %d answer did not decode into the SDK's model: %s (X-Request-Id %s)", se.StatusCode, se.ErrorMessage, se.RequestId)
	}
	if errors.As(err, &se) {
		return fmt.Errorf("refused: HTTP %d %s %s (X-Request-Id %s)", se.StatusCode, se.ErrorCode, se.ErrorMessage, se.RequestId)
	}
	return fmt.Errorf("transport error: %v", err)
}

func checkJobList(o options, client *drs.DrsClient) (string, error) {
	useType, ok := enumByValue[model.QueryJobsReqDbUseType](model.GetQueryJobsReqDbUseTypeEnum(), o.dbUseType)
	if !ok {
		return "", fmt.Errorf("-db-use-type %q is not one of the SDK's %v", o.dbUseType, enumValues(model.GetQueryJobsReqDbUseTypeEnum()))
	}
	name := o.startJob
	resp, err := client.ShowJobList(&model.ShowJobListRequest{Body: &model.QueryJobsReq{CurPage: 1, PerPage: 10, DbUseType: useType, Name: &name}})
	if err != nil {
		return "", refused(err)
	}
	if resp.TotalRecord == nil || resp.Jobs == nil {
		return "", fmt.Errorf("total_record or jobs did not decode: %v", resp)
	}
	for _, job := range *resp.Jobs {
		if job.Id != o.startJob {
			continue
		}
		if err := inEnum("status", job.Status.Value(), model.GetJobInfoStatusEnum()); err != nil {
			return "", err
		}
		if job.Status.Value() != "CONFIGURATION" {
			return "", fmt.Errorf("job %s is %s, not CONFIGURATION: -start-job must name a job that can be started", job.Id, job.Status.Value())
		}
		if job.DbUseType.Value() != o.dbUseType {
			return "", fmt.Errorf("db_use_type %q, asked for %q", job.DbUseType.Value(), o.dbUseType)
		}
		if job.Name == "" {
			return "", fmt.Errorf("job %s: name did not decode", job.Id)
		}
		if _, err := time.Parse("2006-01-02 15:04:05", job.CreateTime); err != nil {
			return "", fmt.Errorf("job %s: create_time %q is not \"yyyy-mm-dd hh:mm:ss\"", job.Id, job.CreateTime)
		}
		if job.JobAction == nil || job.JobAction.AvailableActions == nil {
			return "", fmt.Errorf("job %s: job_action.available_actions did not decode", job.Id)
		}
		actions := []string{}
		for _, a := range *job.JobAction.AvailableActions {
			actions = append(actions, a.Value())
		}
		if !contains(actions, "START") {
			return "", fmt.Errorf("job %s in CONFIGURATION does not offer START (actions %v)", job.Id, actions)
		}
		return fmt.Sprintf("total_record %d; job %s %q %s, created %s, actions %s", *resp.TotalRecord, job.Id, job.Name, job.Status.Value(), job.CreateTime, strings.Join(actions, ",")), nil
	}
	return "", fmt.Errorf("job %s not in the %d job(s) listed for name=%s", o.startJob, len(*resp.Jobs), name)
}

func checkWrongKeyStart(o options, wrongKeyClient *drs.DrsClient) (string, error) {
	_, err := wrongKeyClient.BatchStartJobs(startRequest(o.startJob))
	if err == nil {
		return "", fmt.Errorf("a start of job %s signed with a wrong secret key was accepted", o.startJob)
	}
	var se *sdkerr.ServiceResponseError
	if !errors.As(err, &se) {
		return "", fmt.Errorf("expected the gateway's refusal, got a transport error: %v", err)
	}
	if se.StatusCode != 401 || se.ErrorCode != "APIGW.0301" || se.ErrorMessage == "" || se.RequestId == "" {
		return "", fmt.Errorf("expected HTTP 401 APIGW.0301 with a message and an X-Request-Id, got HTTP %d %q %q (X-Request-Id %q)", se.StatusCode, se.ErrorCode, se.ErrorMessage, se.RequestId)
	}
	return fmt.Sprintf("refused: HTTP %d %s %q", se.StatusCode, se.ErrorCode, se.ErrorMessage), nil
}

func checkStart(o options, client *drs.DrsClient) (string, error) {
	result, status, err := startOne(client, o.startJob)
	if err != nil {
		return "", err
	}
	if result.Status.Value() != "success" {
		return "", fmt.Errorf("job %s: status %q %s %s, expected success", result.Id, result.Status.Value(), deref(result.ErrorCode), deref(result.ErrorMsg))
	}
	return fmt.Sprintf("HTTP %d; job %s success", status, result.Id), nil
}

func checkWrongStatusStart(o options, client *drs.DrsClient) (string, error) {
	result, status, err := startOne(client, o.runningJob)
	if err != nil {
		return "", err
	}
	if result.Status.Value() != "failed" || deref(result.ErrorCode) != "DRS.M00304" || deref(result.ErrorMsg) == "" {
		return "", fmt.Errorf("job %s: status %q %q %q, expected failed DRS.M00304 with a message", result.Id, result.Status.Value(), deref(result.ErrorCode), deref(result.ErrorMsg))
	}
	return fmt.Sprintf("HTTP %d; job %s failed %s %q", status, result.Id, *result.ErrorCode, *result.ErrorMsg), nil
}

// startOne starts one job and returns its own result from the SDK's model.
func startOne(client *drs.DrsClient, id string) (model.StartJobResp, int, error) {
	resp, err := client.BatchStartJobs(startRequest(id))
	if err != nil {
		return model.StartJobResp{}, 0, refused(err)
	}
	if resp.Count == nil || resp.Results == nil || *resp.Count != 1 || len(*resp.Results) != 1 {
		return model.StartJobResp{}, 0, fmt.Errorf("expected count 1 and one result, got %v", resp)
	}
	result := (*resp.Results)[0]
	if result.Id != id || result.Status == nil {
		return model.StartJobResp{}, 0, fmt.Errorf("result id %q (expected %s) or status did not decode: %v", result.Id, id, resp)
	}
	return result, resp.HttpStatusCode, inEnum("status", result.Status.Value(), model.GetStartJobRespStatusEnum())
}

// startRequest starts job `id` now, without a comparison task, in English.
func startRequest(id string) *model.BatchStartJobsRequest {
	compare := false
	lang := model.GetBatchStartJobsRequestXLanguageEnum().EN_US
	return &model.BatchStartJobsRequest{XLanguage: &lang, Body: &model.BatchStartJobReq{Jobs: []model.StartInfo{{JobId: id, IsAutoCreateCompare: &compare}}}}
}

func checkStatus(o options, client *drs.DrsClient) (string, error) {
	cur, per := int32(1), int32(100)
	resp, err := client.BatchListJobStatus(&model.BatchListJobStatusRequest{Body: &model.BatchQueryJobReqPage{Jobs: []string{o.startJob, o.runningJob}, PageReq: &model.PageReq{CurPage: &cur, PerPage: &per}}})
	if err != nil {
		return "", refused(err)
	}
	if resp.Count == nil || resp.Results == nil || len(*resp.Results) != 2 {
		return "", fmt.Errorf("expected count and two results, got %v", resp)
	}
	seen := []string{}
	for i, r := range *resp.Results {
		want := []string{o.startJob, o.runningJob}[i]
		if r.Id == nil || *r.Id != want || r.Status == nil {
			return "", fmt.Errorf("result %d: id or status did not decode (expected job %s): %v", i, want, r)
		}
		if err := inEnum("status", r.Status.Value(), model.GetQueryJobStatusRespStatusEnum()); err != nil {
			return "", err
		}
		seen = append(seen, fmt.Sprintf("%s %s", *r.Id, r.Status.Value()))
	}
	if started := (*resp.Results)[0].Status.Value(); started == "CONFIGURATION" {
		return "", fmt.Errorf("job %s is still in CONFIGURATION after its start", o.startJob)
	}
	return fmt.Sprintf("count %d; %s", *resp.Count, strings.Join(seen, ", ")), nil
}

func checkProgress(o options, client *drs.DrsClient) (string, error) {
	resp, err := client.BatchListProgresses(&model.BatchListProgressesRequest{Body: &model.BatchQueryProgressReq{Jobs: []string{o.startJob, o.runningJob}}})
	if err != nil {
		return "", refused(err)
	}
	if resp.Count == nil || resp.Results == nil || len(*resp.Results) != 2 {
		return "", fmt.Errorf("expected count and two results, got %v", resp)
	}
	seen := []string{}
	for i, r := range *resp.Results {
		want := []string{o.startJob, o.runningJob}[i]
		if r.JobId == nil || *r.JobId != want || r.TaskMode == nil || r.TransferStatus == nil {
			return "", fmt.Errorf("result %d: job_id, task_mode or transfer_status did not decode (expected job %s): %v", i, want, r)
		}
		if err := inEnum("task_mode", r.TaskMode.Value(), model.GetQueryProgressRespTaskModeEnum()); err != nil {
			return "", err
		}
		progress, err := integer("progress", r.Progress)
		if err != nil || progress < 0 || progress > 100 {
			return "", fmt.Errorf("job %s: progress %v is not 0..100 (%v)", want, deref(r.Progress), err)
		}
		delay, err := integer("incre_trans_delay", r.IncreTransDelay)
		if err != nil {
			return "", fmt.Errorf("job %s: %v", want, err)
		}
		if _, err := integer("process_time", r.ProcessTime); err != nil {
			return "", fmt.Errorf("job %s: %v", want, err)
		}
		seen = append(seen, fmt.Sprintf("%s %d%% %s %s incre_trans_delay %d", want, progress, r.TaskMode.Value(), *r.TransferStatus, delay))
	}
	return fmt.Sprintf("count %d; %s", *resp.Count, strings.Join(seen, ", ")), nil
}

// integer reads one of the numbers DRS sends as strings.
func integer(field string, value *string) (int64, error) {
	if value == nil {
		return 0, fmt.Errorf("%s did not decode", field)
	}
	n, err := strconv.ParseInt(*value, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s %q is not an integer", field, *value)
	}
	return n, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func contains(list []string, value string) bool {
	for _, v := range list {
		if v == value {
			return true
		}
	}
	return false
}
