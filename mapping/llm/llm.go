// Package llm reranks mapping suggestions with a language model behind an
// OpenAI-compatible chat completions API. It is optional and off unless
// configured; the deterministic suggestions never depend on it.
//
// The process reads its settings from the environment (wired by the
// binary, not here):
//
//	BRIDGEWORK_LLM_URL      base URL, e.g. https://api.openai.com/v1 (POST {URL}/chat/completions)
//	BRIDGEWORK_LLM_MODEL    model name sent in each request
//	BRIDGEWORK_LLM_API_KEY  bearer token (optional for local servers; _FILE variant like other secrets)
package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/bridgework/bridgework/mapping"
)

// Config is the language model endpoint.
type Config struct {
	URL     string
	Model   string
	APIKey  string
	Timeout time.Duration // per request; default 20s
}

// Enabled reports whether a URL and model are set.
func (c Config) Enabled() bool { return c.URL != "" && c.Model != "" }

// Client calls the chat completions API. It implements mapping.Reranker.
type Client struct {
	cfg  Config
	http *http.Client
}

// New returns a client, or nil when cfg is not enabled.
func New(cfg Config) *Client {
	if !cfg.Enabled() {
		return nil
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 20 * time.Second
	}
	return &Client{cfg: cfg, http: &http.Client{Timeout: cfg.Timeout}}
}

const systemPrompt = `You review field mappings between business systems (Heartland Retail POS and Epicor Kinetic ERP).
Given a target field and candidate source fields with their scores, order the candidates from best to worst.
Answer with JSON only: {"order": [candidate indexes, best first], "reasons": [one short sentence per candidate, in the new order]}.`

type message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

type chatRequest struct {
	Model          string            `json:"model"`
	Messages       []message         `json:"messages"`
	Temperature    float64           `json:"temperature"`
	ResponseFormat map[string]string `json:"response_format"`
}

type chatResponse struct {
	Choices []struct {
		Message message `json:"message"`
	} `json:"choices"`
}

type verdict struct {
	Order   []int    `json:"order"`
	Reasons []string `json:"reasons"`
}

// Rerank asks the model to order the candidates for target.
func (c *Client) Rerank(ctx context.Context, target mapping.Field, cands []mapping.Candidate) ([]mapping.Candidate, error) {
	type cand struct {
		Index      int     `json:"index"`
		Source     string  `json:"source"`
		Confidence float64 `json:"confidence"`
		Reason     string  `json:"reason"`
	}
	list := make([]cand, len(cands))
	for i, k := range cands {
		list[i] = cand{i, k.Source, k.Confidence, k.Reason}
	}
	user, err := json.Marshal(map[string]any{"target": target, "candidates": list})
	if err != nil {
		return nil, fmt.Errorf("llm: encode prompt: %w", err)
	}
	body, err := json.Marshal(chatRequest{Model: c.cfg.Model, Temperature: 0,
		ResponseFormat: map[string]string{"type": "json_object"},
		Messages:       []message{{"system", systemPrompt}, {"user", string(user)}}})
	if err != nil {
		return nil, fmt.Errorf("llm: encode request: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(c.cfg.URL, "/")+"/chat/completions", bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("llm: build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	if c.cfg.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+c.cfg.APIKey)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("llm: chat completions: %w", err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("llm: read response: %w", err)
	}
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("llm: chat completions: %d %s", res.StatusCode, strings.TrimSpace(string(raw[:min(len(raw), 200)])))
	}
	var cr chatResponse
	if err := json.Unmarshal(raw, &cr); err != nil || len(cr.Choices) == 0 {
		return nil, fmt.Errorf("llm: chat completions: unreadable response")
	}
	var v verdict
	if err := json.Unmarshal([]byte(cr.Choices[0].Message.Content), &v); err != nil {
		return nil, fmt.Errorf("llm: the model's answer is not the requested JSON: %w", err)
	}
	if !permutation(v.Order, len(cands)) {
		return nil, fmt.Errorf("llm: the model's order %v is not a permutation of %d candidates", v.Order, len(cands))
	}
	out := make([]mapping.Candidate, len(cands))
	for i, idx := range v.Order {
		out[i] = cands[idx]
		if i < len(v.Reasons) && strings.TrimSpace(v.Reasons[i]) != "" {
			out[i].Reason = strings.TrimSpace(v.Reasons[i]) + " (model; signals: " + cands[idx].Reason + ")"
		}
	}
	return out, nil
}

func permutation(order []int, n int) bool {
	if len(order) != n {
		return false
	}
	seen := make([]bool, n)
	for _, i := range order {
		if i < 0 || i >= n || seen[i] {
			return false
		}
		seen[i] = true
	}
	return true
}
