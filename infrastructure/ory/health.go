// Package ory adapts Ory Kratos (self-hosted locally, Ory Network in
// production) to Torque's identity port.
package ory

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// HealthChecker asks Kratos whether it is ready.
type HealthChecker struct {
	// AdminURL is Kratos's admin API base URL.
	AdminURL string
	Client   *http.Client
}

// NewHealthChecker returns a checker with a short-timeout client.
func NewHealthChecker(adminURL string) *HealthChecker {
	return &HealthChecker{AdminURL: adminURL, Client: &http.Client{Timeout: 2 * time.Second}}
}

// Check returns nil when Kratos answers ready.
func (h *HealthChecker) Check(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, h.AdminURL+"/admin/health/ready", nil)
	if err != nil {
		return err
	}
	resp, err := h.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("kratos not ready: %s", resp.Status)
	}
	return nil
}
