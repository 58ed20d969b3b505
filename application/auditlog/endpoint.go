package auditlog

import "context"

type endpointKey struct{}

// WithEndpoint names the route serving the request (e.g. "GET
// /api/v1/workshops/{slug}/customers/{id}") for the audit log of personal
// data reads. Without it the log names the use case.
func WithEndpoint(ctx context.Context, endpoint string) context.Context {
	return context.WithValue(ctx, endpointKey{}, endpoint)
}

func endpointOf(ctx context.Context, useCase string) string {
	if e, ok := ctx.Value(endpointKey{}).(string); ok && e != "" {
		return e
	}
	return useCase
}
