package server

import (
	"errors"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/bridgework/bridgework/internal/approval"
	"github.com/bridgework/bridgework/internal/auth"
	"github.com/bridgework/bridgework/store"
)

var approvalStatuses = map[string]bool{store.ApprovalPending: true, store.ApprovalApproved: true,
	store.ApprovalRejected: true, store.ApprovalTimedOut: true}

// maxCommentLength bounds a decision's comment, in characters.
const maxCommentLength = 2000

// listApprovals returns approvals, pending first, filterable by status and flow.
func (s *Server) listApprovals(c *fiber.Ctx) error {
	f := store.ApprovalFilter{Status: c.Query("status"), FlowID: c.Query("flow_id")}
	var details []Detail
	if f.Status != "" && !approvalStatuses[f.Status] {
		details = append(details, Detail{Field: "status", Message: "status must be pending, approved, rejected or timed_out"})
	}
	page, perPage := c.QueryInt("page", 1), c.QueryInt("per_page", 50)
	if page < 1 || perPage < 1 || perPage > 500 {
		details = append(details, Detail{Field: "per_page", Message: "page must be at least 1 and per_page between 1 and 500"})
	}
	if len(details) > 0 {
		return &APIError{Status: fiber.StatusBadRequest, Code: "invalid_request", Message: "the approval filter is not valid", Details: details}
	}
	f.Limit, f.Offset = perPage, (page-1)*perPage
	list, total, err := s.tenantStore(c).ListApprovals(c.UserContext(), f)
	if err != nil {
		return err
	}
	if list == nil {
		list = []store.Approval{}
	}
	return c.JSON(fiber.Map{"approvals": list, "total": total, "page": page, "per_page": perPage})
}

// getApproval returns one approval.
func (s *Server) getApproval(c *fiber.Ctx) error {
	a, err := s.tenantStore(c).Approval(c.UserContext(), c.Params("id"))
	if errors.Is(err, store.ErrNotFound) {
		return notFound("approval")
	}
	if err != nil {
		return err
	}
	return c.JSON(a)
}

type decisionRequest struct {
	Comment string `json:"comment"`
}

// decideApproval approves or rejects a pending approval for the caller, who
// must be one of its approvers; the run waiting for it resumes.
func (s *Server) decideApproval(approve bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var req decisionRequest
		if len(c.Body()) > 0 {
			if err := decodeJSON(c, &req); err != nil {
				return err
			}
		}
		if utf8.RuneCountInString(req.Comment) > maxCommentLength {
			return &APIError{Status: fiber.StatusBadRequest, Code: "invalid_request", Message: "the comment is too long",
				Details: []Detail{{Field: "comment", Message: "comment must be at most 2000 characters"}}}
		}
		d, err := s.decider(c)
		if err != nil {
			return err
		}
		a, err := s.Approvals.Decide(c.UserContext(), claims(c).TenantID, c.Params("id"), approve, req.Comment, d)
		switch {
		case errors.Is(err, store.ErrNotFound):
			return notFound("approval")
		case errors.Is(err, approval.ErrNotApprover):
			return apiError(fiber.StatusForbidden, "not_approver", "you are not one of this approval's approvers")
		case errors.Is(err, approval.ErrClosed):
			return apiError(fiber.StatusConflict, "approval_closed", "this approval is already closed")
		case err != nil:
			return err
		}
		return c.JSON(a)
	}
}

// decider describes the caller for the approvers check.
func (s *Server) decider(c *fiber.Ctx) (approval.Decider, error) {
	cl := claims(c)
	d := approval.Decider{Actor: actor(c), UserID: cl.Subject, Role: cl.Role}
	if cl.Kind == auth.KindUser {
		u, err := s.tenantStore(c).UserByID(c.UserContext(), cl.Subject)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return d, err
		}
		if u != nil {
			d.Email = u.Email
		}
	}
	return d, nil
}
