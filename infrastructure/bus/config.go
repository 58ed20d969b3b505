package bus

import (
	"sync/atomic"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	wsql "github.com/ThreeDotsLabs/watermill-sql/v4/pkg/sql"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/jackc/pgx/v5/pgxpool"
)

// subscribeBatchSize bounds how many messages one consumer transaction takes.
const subscribeBatchSize = 100

// Schema is the watermill-sql schema adapter for the events topic.
func Schema() wsql.DefaultPostgreSQLSchema {
	return wsql.DefaultPostgreSQLSchema{SubscribeBatchSize: subscribeBatchSize}
}

// countingSchema is Schema counting the messages its subscriber's reads
// return, so that the backoff knows whether a read took all there was.
type countingSchema struct {
	wsql.DefaultPostgreSQLSchema
	rows *atomic.Int64
}

func (s countingSchema) UnmarshalMessage(p wsql.UnmarshalMessageParams) (wsql.Row, error) {
	row, err := s.DefaultPostgreSQLSchema.UnmarshalMessage(p)
	if err == nil {
		s.rows.Add(1)
	}
	return row, err
}

// Offsets is the watermill-sql offsets adapter.
func Offsets() wsql.DefaultPostgreSQLOffsetsAdapter { return wsql.DefaultPostgreSQLOffsetsAdapter{} }

// DefaultIdleInterval is how often a woken subscriber (one with a Wake) reads
// the topic when nothing wakes it: a safety net for a lost notification.
const DefaultIdleInterval = 5 * time.Second

// SubscriberConfig tunes the Postgres subscriber of one consumer group.
type SubscriberConfig struct {
	// ConsumerGroup must be a constant: renaming it re-consumes everything.
	ConsumerGroup string
	// PollInterval is how long an idle subscriber without a Wake waits before
	// asking Postgres again (default 20 ms). With a Wake it is the first
	// follow-up read after a wake-up that found nothing (see idleBackoff).
	PollInterval time.Duration
	// Wake, when set, is what an idle subscriber waits for instead of
	// polling: the process's Notifier and Listen broadcast on it.
	Wake *Wake
	// IdleInterval bounds the wait for a wake-up (default DefaultIdleInterval).
	IdleInterval time.Duration
}

// NewSubscriber builds a watermill-sql subscriber for the events topic. It never
// creates tables: the runtime role has no DDL rights.
func NewSubscriber(pool *pgxpool.Pool, cfg SubscriberConfig, logger watermill.LoggerAdapter) (message.Subscriber, error) {
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = 20 * time.Millisecond
	}
	if cfg.IdleInterval <= 0 {
		cfg.IdleInterval = DefaultIdleInterval
	}
	const retry = 250 * time.Millisecond
	wcfg := wsql.SubscriberConfig{
		ConsumerGroup:    cfg.ConsumerGroup,
		PollInterval:     cfg.PollInterval,
		ResendInterval:   100 * time.Millisecond,
		RetryInterval:    retry,
		SchemaAdapter:    Schema(),
		OffsetsAdapter:   Offsets(),
		InitializeSchema: false,
	}
	if cfg.Wake == nil {
		return wsql.NewSubscriber(wsql.BeginnerFromPgx(pool), wcfg, logger)
	}
	closing := make(chan struct{})
	rows := &atomic.Int64{}
	wcfg.SchemaAdapter = countingSchema{DefaultPostgreSQLSchema: Schema(), rows: rows}
	wcfg.BackoffManager = &idleBackoff{wake: cfg.Wake, poll: cfg.PollInterval, idle: cfg.IdleInterval,
		retry: retry, closing: closing, next: cfg.Wake.C(), read: rows, full: subscribeBatchSize}
	sub, err := wsql.NewSubscriber(wsql.BeginnerFromPgx(pool), wcfg, logger)
	if err != nil {
		return nil, err
	}
	return &wakingSubscriber{Subscriber: sub, closing: closing}, nil
}
