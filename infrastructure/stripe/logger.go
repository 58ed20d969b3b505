package stripe

import (
	"context"
	"fmt"
	"log/slog"

	stripego "github.com/stripe/stripe-go/v76"
)

// leveledLogger adapts slog to stripe-go's LeveledLoggerInterface.
// stripe-go logs every request at info level; those lines go to debug so a
// production log at info stays quiet unless something goes wrong.
type leveledLogger struct{ l *slog.Logger }

var _ stripego.LeveledLoggerInterface = leveledLogger{}

func newLeveledLogger(l *slog.Logger) stripego.LeveledLoggerInterface {
	if l == nil {
		// WARNING: a nil LeveledLogger makes stripe-go fall back to its
		// default logger on stderr; LevelNull is its documented "silent".
		return &stripego.LeveledLogger{Level: stripego.LevelNull}
	}
	return leveledLogger{l: l.With(slog.String("component", "stripe"))}
}

func (a leveledLogger) log(level slog.Level, format string, v ...any) {
	ctx := context.Background()
	if a.l.Enabled(ctx, level) {
		a.l.Log(ctx, level, fmt.Sprintf(format, v...))
	}
}

func (a leveledLogger) Debugf(format string, v ...any) { a.log(slog.LevelDebug, format, v...) }
func (a leveledLogger) Infof(format string, v ...any)  { a.log(slog.LevelDebug, format, v...) }
func (a leveledLogger) Warnf(format string, v ...any)  { a.log(slog.LevelWarn, format, v...) }
func (a leveledLogger) Errorf(format string, v ...any) { a.log(slog.LevelError, format, v...) }
