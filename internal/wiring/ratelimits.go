package wiring

import (
	"github.com/torquehq/torque/infrastructure/postgres"
	"github.com/torquehq/torque/interfaces/httpapi"
	"github.com/torquehq/torque/interfaces/web"
)

// rateLimits are the abuse-prone endpoints' limits, counted in Postgres
// (rate_limit_hits) so every API process shares them.
func (s *System) rateLimits() httpapi.RateLimits {
	return httpapi.SharedRateLimits(postgres.NewRateCounter(s.Pool))
}

// proxyHops is how many trusted proxies append to X-Forwarded-For.
func (s *System) proxyHops() int {
	if s.Cfg.TrustedProxies == 0 && s.Cfg.TrustProxy {
		return 1
	}
	return s.Cfg.TrustedProxies
}

// webLimits are the same limits for the back office's forms: a page and the
// API count together.
func (s *System) webLimits() web.Limits {
	l := s.rateLimits()
	return web.Limits{
		SignupPerIP: l.SignupPerIP, SignupPerIdentifier: l.SignupPerIdentifier,
		PortalPerIP: l.LoginPerIP, PortalPerIdentifier: l.LoginPerIdentifier,
		InvitePerInviter: l.InvitePerInviter, InvitePerAddress: l.InvitePerAddress,
		FeedbackPerIP: l.FeedbackPerIP, FeedbackPerToken: l.FeedbackPerToken,
	}
}
