package observability

import (
	"context"
	"io"
	"log/slog"

	"github.com/torquehq/torque/application/requestmeta"
)

// NewLogger returns a JSON slog logger that adds the request and correlation
// ids carried by the context to every record logged with a context.
func NewLogger(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(contextHandler{slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level})})
}

type contextHandler struct{ slog.Handler }

func (h contextHandler) Handle(ctx context.Context, r slog.Record) error {
	if m, ok := requestmeta.Lookup(ctx); ok {
		if m.RequestID != "" {
			r.AddAttrs(slog.String("request_id", m.RequestID))
		}
		if m.CorrelationID.String() != "00000000-0000-0000-0000-000000000000" {
			r.AddAttrs(slog.String("correlation_id", m.CorrelationID.String()))
		}
	}
	return h.Handler.Handle(ctx, r)
}

func (h contextHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return contextHandler{h.Handler.WithAttrs(as)}
}

func (h contextHandler) WithGroup(name string) slog.Handler {
	return contextHandler{h.Handler.WithGroup(name)}
}
