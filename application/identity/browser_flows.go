package identity

import (
	"context"
	"errors"
)

// ErrFlowGone reports a self-service flow that expired, is unknown, or
// belongs to another browser: the page starts a new one.
var ErrFlowGone = errors.New("identity: self-service flow expired or unknown")

// BrowserFlows reads the identity provider's self-service browser flows
// (login, recovery, verification, settings) server-side, so that pages can
// render them in Torque's look. The browser posts the form straight to the
// provider; Torque only reads the flow.
type BrowserFlows interface {
	// PublicURL is the provider's public base URL (forms post there).
	PublicURL() string
	// StartURL is where a browser begins a new flow of kind ("login",
	// "recovery", "verification", "settings").
	StartURL(kind string) string
	// Flow fetches flow id of kind, forwarding the browser's Cookie header
	// (the provider binds a flow to its CSRF cookie). It returns ErrFlowGone
	// when the provider no longer knows the flow for this browser.
	Flow(ctx context.Context, kind, id, cookieHeader string) (Flow, error)
	// LogoutURL returns the URL that ends the browser's session, or
	// ErrFlowGone when the browser has none.
	LogoutURL(ctx context.Context, cookieHeader string) (string, error)
}

// Flow is the part of a self-service flow a page renders.
type Flow struct {
	ID     string
	State  string
	Action string
	Method string
	// Messages are the flow's own messages (e.g. "wrong password").
	Messages []FlowMessage
	// Inputs are the form's inputs, hidden ones and buttons included.
	Inputs []FlowInput
	// Refresh is set on a login flow that re-authenticates a signed-in
	// person (a recent sign-in for a privileged action).
	Refresh bool
	// RequestedAAL is the assurance level a login flow is for ("aal2": the
	// second-factor step).
	RequestedAAL string
	// ReturnTo is where the provider sends the browser when the flow is done.
	ReturnTo string
}

// FlowInput is one input of a flow's form.
type FlowInput struct {
	Group    string
	Name     string
	Type     string
	Value    string
	Messages []FlowMessage
	// ID, Src and Text are set on nodes that are not inputs: an image (an
	// authenticator app's QR code: ID "totp_qr", Src a data: URL) or a text
	// (ID "totp_secret_key", Text the secret to type in instead).
	ID, Src, Text string
}

// FlowMessage is a message of the provider, with its stable id so pages can
// show their own translation.
type FlowMessage struct {
	ID   int64
	Type string
	Text string
}

// Value returns the value of the input called name ("" when absent).
func (f Flow) Value(name string) string {
	for _, in := range f.Inputs {
		if in.Name == name && in.Value != "" {
			return in.Value
		}
	}
	return ""
}

// HasInput reports whether the flow asks the person to type name (hidden
// inputs and buttons, such as "resend the code", do not count).
func (f Flow) HasInput(name string) bool {
	for _, in := range f.Inputs {
		if in.Name != name {
			continue
		}
		switch in.Type {
		case "text", "email", "password", "number", "tel":
			return true
		}
	}
	return false
}

// AllMessages lists the messages of the flow and of every input.
func (f Flow) AllMessages() []FlowMessage {
	out := append([]FlowMessage(nil), f.Messages...)
	for _, in := range f.Inputs {
		out = append(out, in.Messages...)
	}
	return out
}

// Node returns the node (input, image or text) whose ID is id.
func (f Flow) Node(id string) (FlowInput, bool) {
	for _, in := range f.Inputs {
		if in.ID == id {
			return in, true
		}
	}
	return FlowInput{}, false
}
