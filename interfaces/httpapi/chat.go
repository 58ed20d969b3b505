package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/coder/websocket"
	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/torquehq/torque/application/support"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/interfaces/httperr"
)

// Chat limits (defaults of ChatHandlers).
const (
	// DefaultChatFrameLimit bounds one incoming frame; a bigger one closes
	// the socket with 1009 (message too big).
	DefaultChatFrameLimit = 16 << 10
	// DefaultChatIdleTimeout closes a socket that sent nothing (not even a
	// {"type":"ping"}) for this long.
	DefaultChatIdleTimeout = 2 * time.Minute
	// DefaultChatRate and DefaultChatBurst limit the frames a socket sends.
	DefaultChatRate  = 5.0 // frames per second
	DefaultChatBurst = 10
	chatWriteTimeout = 10 * time.Second
	chatBacklogPage  = 200
)

// ChatHandlers serve the live chat: the WebSocket of the staff inbox and of
// the car owner, and the history of conversations. Authentication comes
// from the HTTP upgrade request's session (the normal middleware), never
// from a frame; a cross-origin upgrade is refused.
type ChatHandlers struct {
	Support *support.UseCases
	Log     *slog.Logger
	// FrameLimit, IdleTimeout, Rate and Burst override the defaults.
	FrameLimit  int64
	IdleTimeout time.Duration
	Rate        float64
	Burst       int
	// OriginPatterns are extra allowed origins (host patterns); the
	// request's own host is always allowed.
	OriginPatterns []string
}

// MountWorkshop registers the staff routes.
func (h *ChatHandlers) MountWorkshop(r chi.Router) { h.mount(r) }

// MountPortal registers the car owner's routes.
func (h *ChatHandlers) MountPortal(r chi.Router) { h.mount(r) }

func (h *ChatHandlers) mount(r chi.Router) {
	r.Get("/chat", h.socket)
	r.Get("/conversations", h.conversations)
	r.Get("/conversations/{id}/messages", h.messages)
}

func (h *ChatHandlers) fail(w http.ResponseWriter, r *http.Request, err error) {
	Fail(w, r, h.Log, err)
}

type conversationJSON struct {
	ID            uuid.UUID  `json:"id"`
	CustomerID    uuid.UUID  `json:"customer_id"`
	TicketID      *uuid.UUID `json:"ticket_id"`
	LastMessageID int64      `json:"last_message_id"`
	LastMessageAt time.Time  `json:"last_message_at"`
	Unread        int        `json:"unread"`
	CreatedAt     time.Time  `json:"created_at"`
}

func toConversationJSON(c support.Conversation) conversationJSON {
	return conversationJSON{ID: c.ID, CustomerID: c.CustomerID, TicketID: optUUID(c.TicketID), LastMessageID: c.LastMessageID,
		LastMessageAt: c.LastMessageAt, Unread: c.Unread, CreatedAt: c.CreatedAt}
}

// chatFrame is every frame, both ways.
type chatFrame struct {
	Type           string     `json:"type"`
	ID             int64      `json:"id,omitempty"`
	ConversationID string     `json:"conversation_id,omitempty"`
	CustomerID     *uuid.UUID `json:"customer_id,omitempty"`
	Author         string     `json:"author,omitempty"`
	Text           string     `json:"text,omitempty"`
	At             *time.Time `json:"at,omitempty"`
	// ClientID is the sender's own reference, echoed in its ack or error.
	ClientID string `json:"client_id,omitempty"`
	Code     string `json:"code,omitempty"`
	Message  string `json:"message,omitempty"`
}

func messageFrame(m support.ChatMessage) chatFrame {
	at := m.At
	cust := m.CustomerID
	return chatFrame{Type: "message", ID: m.ID, ConversationID: m.ConversationID.String(), CustomerID: &cust,
		Author: m.Author, Text: m.Text, At: &at}
}

func (h *ChatHandlers) conversations(w http.ResponseWriter, r *http.Request) {
	page, err := pageRequest(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	res, err := h.Support.ListConversations(r.Context(), page)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writePage(w, res, toConversationJSON)
}

func (h *ChatHandlers) messages(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	page, err := pageRequest(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	after, err := afterParam(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	res, err := h.Support.ConversationMessages(r.Context(), support.ConversationMessagesInput{ConversationID: id, After: after, Page: page})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writePage(w, res, messageFrame)
}

func afterParam(r *http.Request) (int64, error) {
	s := r.URL.Query().Get("after")
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, errs.Invalid("after", "invalid_format", "after must be a message id")
	}
	return n, nil
}

// socket upgrades to a WebSocket. The caller was authenticated by the
// session middleware; JoinChat checks their role before the upgrade, so a
// refused caller gets a plain problem+json.
func (h *ChatHandlers) socket(w http.ResponseWriter, r *http.Request) {
	chatter, err := h.Support.JoinChat(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	after, err := afterParam(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	// The server's read and write timeouts must not end a long-lived
	// socket; the idle timeout below replaces them.
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Time{})
	_ = rc.SetWriteDeadline(time.Time{})
	conn, err := websocket.Accept(w, r, &websocket.AcceptOptions{OriginPatterns: h.OriginPatterns})
	if err != nil {
		// Accept has answered (403 for a foreign Origin, 426 without an upgrade).
		return
	}
	limit := h.FrameLimit
	if limit <= 0 {
		limit = DefaultChatFrameLimit
	}
	conn.SetReadLimit(limit)
	s := &chatSocket{h: h, conn: conn, chatter: chatter, last: after}
	s.run(context.WithoutCancel(r.Context()))
}

type chatSocket struct {
	h       *ChatHandlers
	conn    *websocket.Conn
	chatter support.Chatter
	last    int64
	writeMu sync.Mutex
}

func (s *chatSocket) write(ctx context.Context, f chatFrame) error {
	b, err := json.Marshal(f)
	if err != nil {
		return err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	wctx, cancel := context.WithTimeout(ctx, chatWriteTimeout)
	defer cancel()
	return s.conn.Write(wctx, websocket.MessageText, b)
}

// catchUp sends every stored message after the last one sent.
func (s *chatSocket) catchUp(ctx context.Context) error {
	for {
		ms, err := s.h.Support.MessagesAfter(ctx, s.chatter, s.last, chatBacklogPage)
		if err != nil {
			return err
		}
		for _, m := range ms {
			if err := s.write(ctx, messageFrame(m)); err != nil {
				return err
			}
			s.last = m.ID
		}
		if len(ms) < chatBacklogPage {
			return nil
		}
	}
}

func (s *chatSocket) run(parent context.Context) {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	sub := s.h.Support.Subscribe(s.chatter)
	defer sub.Close()
	if err := s.catchUp(ctx); err != nil {
		_ = s.conn.Close(websocket.StatusInternalError, "could not read the history")
		return
	}
	// The reader applies the rate limit as frames arrive (not as they are
	// handled) and queues a few for the handler.
	frames := make(chan inFrame, 32)
	readErr := make(chan error, 1)
	bucket := newTokenBucket(s.h.Rate, s.h.Burst)
	go func() {
		for {
			_, b, err := s.conn.Read(ctx)
			if err != nil {
				readErr <- err
				return
			}
			select {
			case frames <- inFrame{b: b, limited: !bucket.take(time.Now())}:
			case <-ctx.Done():
				return
			}
		}
	}()
	idle := s.h.IdleTimeout
	if idle <= 0 {
		idle = DefaultChatIdleTimeout
	}
	timer := time.NewTimer(idle)
	defer timer.Stop()
	for {
		select {
		case m := <-sub.C():
			if m.ID <= s.last {
				continue
			}
			if err := s.write(ctx, messageFrame(m)); err != nil {
				_ = s.conn.CloseNow()
				return
			}
			s.last = m.ID
		case <-sub.CatchUp():
			if err := s.catchUp(ctx); err != nil {
				_ = s.conn.Close(websocket.StatusTryAgainLater, "reconnect to resume")
				return
			}
		case in := <-frames:
			timer.Reset(idle)
			if in.limited {
				_ = s.write(ctx, chatFrame{Type: "error", Code: "rate_limited", Message: "too many messages; slow down"})
				continue
			}
			if err := s.handle(ctx, in.b); err != nil {
				_ = s.conn.CloseNow()
				return
			}
		case err := <-readErr:
			// A frame over the limit was answered with 1009 by the library;
			// everything else is the peer leaving.
			_ = err
			_ = s.conn.CloseNow()
			return
		case <-timer.C:
			_ = s.conn.Close(websocket.StatusGoingAway, "idle timeout")
			return
		}
	}
}

type inFrame struct {
	b       []byte
	limited bool
}

// handle answers one client frame; only a failed write ends the socket.
func (s *chatSocket) handle(ctx context.Context, b []byte) error {
	var f chatFrame
	if err := DecodeJSONBytes(b, &f); err != nil {
		return s.write(ctx, chatFrame{Type: "error", Code: "bad_frame", Message: "send a JSON object"})
	}
	switch f.Type {
	case "ping":
		return s.write(ctx, chatFrame{Type: "pong"})
	case "message":
		m, err := s.h.Support.SendChat(ctx, s.chatter, support.SendChatInput{ConversationID: f.ConversationID, Text: f.Text})
		if err != nil {
			cls, known := httperr.Classify(err)
			if !known {
				cls.Status, cls.Type = http.StatusInternalServerError, "internal"
			}
			if cls.Status >= 500 {
				s.h.Log.ErrorContext(ctx, "chat: storing a message failed", "err", err)
			}
			return s.write(ctx, chatFrame{Type: "error", ClientID: f.ClientID, ConversationID: f.ConversationID,
				Code: frameCode(err, cls.Status), Message: cls.Type})
		}
		// Stored: acknowledge; the message itself arrives through the feed
		// like everyone else's.
		return s.write(ctx, chatFrame{Type: "ack", ID: m.ID, ClientID: f.ClientID, ConversationID: m.ConversationID.String()})
	default:
		return s.write(ctx, chatFrame{Type: "error", ClientID: f.ClientID, Code: "unknown_type", Message: "type must be message or ping"})
	}
}

func frameCode(err error, status int) string {
	var ve *errs.ValidationError
	switch {
	case errors.As(err, &ve):
		return "invalid"
	case errors.Is(err, errs.ErrNotFound):
		return "not_found"
	case status == http.StatusForbidden:
		return "forbidden"
	case status == http.StatusPaymentRequired:
		return "read_only"
	default:
		return "error"
	}
}

// tokenBucket limits one socket's frames.
type tokenBucket struct {
	rate, tokens, burst float64
	at                  time.Time
}

func newTokenBucket(rate float64, burst int) *tokenBucket {
	if rate <= 0 {
		rate = DefaultChatRate
	}
	if burst <= 0 {
		burst = DefaultChatBurst
	}
	return &tokenBucket{rate: rate, tokens: float64(burst), burst: float64(burst)}
}

func (b *tokenBucket) take(now time.Time) bool {
	if !b.at.IsZero() {
		b.tokens = min(b.burst, b.tokens+now.Sub(b.at).Seconds()*b.rate)
	}
	b.at = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
