package epicor

import "context"

const svcJobEntry = "Erp.BO.JobEntrySvc"

// GetJob reads a job header (JobHead) by JobNum.
func (c *Client) GetJob(ctx context.Context, jobNum string) (Record, error) {
	return c.getOne(ctx, "get job", svcJobEntry, keyPath("JobEntries", c.t.Company, jobNum), Query{})
}
