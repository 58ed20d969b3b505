package bus

import (
	"time"

	"github.com/ThreeDotsLabs/watermill"
	wsql "github.com/ThreeDotsLabs/watermill-sql/v4/pkg/sql"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Schema is the watermill-sql schema adapter for the events topic. The batch
// size bounds how many messages one consumer transaction takes.
func Schema() wsql.DefaultPostgreSQLSchema {
	return wsql.DefaultPostgreSQLSchema{SubscribeBatchSize: 100}
}

// Offsets is the watermill-sql offsets adapter.
func Offsets() wsql.DefaultPostgreSQLOffsetsAdapter { return wsql.DefaultPostgreSQLOffsetsAdapter{} }

// SubscriberConfig tunes the Postgres subscriber of one consumer group.
type SubscriberConfig struct {
	// ConsumerGroup must be a constant: renaming it re-consumes everything.
	ConsumerGroup string
	// PollInterval is how long an idle subscriber waits before asking Postgres
	// again. Watermill's default (1 s) is far too slow for read-your-writes;
	// 20 ms keeps commit-to-read-model lag low at the cost of a cheap indexed
	// query per interval per group.
	PollInterval time.Duration
}

// NewSubscriber builds a watermill-sql subscriber for the events topic. It never
// creates tables: the runtime role has no DDL rights.
func NewSubscriber(pool *pgxpool.Pool, cfg SubscriberConfig, logger watermill.LoggerAdapter) (*wsql.Subscriber, error) {
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = 20 * time.Millisecond
	}
	return wsql.NewSubscriber(wsql.BeginnerFromPgx(pool), wsql.SubscriberConfig{
		ConsumerGroup:    cfg.ConsumerGroup,
		PollInterval:     cfg.PollInterval,
		ResendInterval:   100 * time.Millisecond,
		RetryInterval:    250 * time.Millisecond,
		SchemaAdapter:    Schema(),
		OffsetsAdapter:   Offsets(),
		InitializeSchema: false,
	}, logger)
}
