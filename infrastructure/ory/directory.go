package ory

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
	client "github.com/ory/client-go"

	"github.com/torquehq/torque/application/identity"
	"github.com/torquehq/torque/domain/errs"
)

// Identity states as Kratos spells them.
const (
	stateActive   = "active"
	stateInactive = "inactive"
)

// CreateStaff implements identity.Directory (POST /admin/identities). A
// password is never given to the admin API, which applies no policy: the
// identity is created without one and the password is then set through
// Kratos's own self-service flows (setPasswordUnderPolicy), so the configured
// policy (length, similarity to the e-mail, breach check) applies. A refused
// password deletes the new identity again and answers a *errs.ValidationError
// on "password".
func (k *Kratos) CreateStaff(ctx context.Context, email, name, password string) (identity.Identity, error) {
	body := client.CreateIdentityBody{
		SchemaId: identity.SchemaStaff,
		Traits:   map[string]any{"email": normalizeEmail(email), "name": strings.TrimSpace(name)},
	}
	created, err := k.create(ctx, "create staff identity", body)
	if err != nil || password == "" {
		return created, err
	}
	if err := k.setPasswordUnderPolicy(ctx, created.ID, password); err != nil {
		if derr := k.Delete(context.WithoutCancel(ctx), created.ID); derr != nil {
			return identity.Identity{}, fmt.Errorf("%w (and the new identity could not be deleted: %w)", err, derr)
		}
		return identity.Identity{}, err
	}
	return created, nil
}

// CreateCustomer implements identity.Directory (POST /admin/identities).
func (k *Kratos) CreateCustomer(ctx context.Context, email, phone, name string) (identity.Identity, error) {
	traits := map[string]any{"name": strings.TrimSpace(name)}
	// Absent, not empty: the schema's format checks would reject "".
	if e := normalizeEmail(email); e != "" {
		traits["email"] = e
	}
	if p := strings.TrimSpace(phone); p != "" {
		traits["phone"] = p
	}
	return k.create(ctx, "create customer identity", client.CreateIdentityBody{
		SchemaId: identity.SchemaCustomer,
		Traits:   traits,
	})
}

func (k *Kratos) create(ctx context.Context, op string, body client.CreateIdentityBody) (identity.Identity, error) {
	state := stateActive
	body.State = &state
	raw, resp, err := k.admin.IdentityAPI.CreateIdentity(ctx).CreateIdentityBody(body).Execute()
	closeBody(resp)
	if err != nil {
		switch statusOf(resp) {
		case http.StatusConflict:
			// Identifiers (e-mail, phone) are unique per credential type: two staff
			// (password) or two customers (code) cannot share one.
			return identity.Identity{}, fmt.Errorf("ory: %s: e-mail or phone already in use: %w", op, errs.ErrConflict)
		case http.StatusBadRequest:
			return identity.Identity{}, fmt.Errorf("ory: %s: %w", op, validationError(err))
		}
		return identity.Identity{}, callError(op, resp, err)
	}
	return toIdentity(raw), nil
}

// Get implements identity.Directory (GET /admin/identities/{id}).
func (k *Kratos) Get(ctx context.Context, id string) (identity.Identity, error) {
	if err := checkID(id); err != nil {
		return identity.Identity{}, err
	}
	raw, resp, err := k.admin.IdentityAPI.GetIdentity(ctx, id).Execute()
	closeBody(resp)
	if err != nil {
		if statusOf(resp) == http.StatusNotFound {
			return identity.Identity{}, fmt.Errorf("ory: identity %s: %w", id, errs.ErrNotFound)
		}
		return identity.Identity{}, callError("get identity", resp, err)
	}
	return toIdentity(raw), nil
}

// FindByEmail implements identity.Directory
// (GET /admin/identities?credentials_identifier=<email>, which Kratos matches
// exactly and case-insensitively across credential types).
func (k *Kratos) FindByEmail(ctx context.Context, schema, email string) (identity.Identity, error) {
	email = normalizeEmail(email)
	if email == "" {
		return identity.Identity{}, fmt.Errorf("ory: find identity: empty e-mail: %w", errs.ErrNotFound)
	}
	list, resp, err := k.admin.IdentityAPI.ListIdentities(ctx).CredentialsIdentifier(email).Execute()
	closeBody(resp)
	if err != nil {
		return identity.Identity{}, callError("find identity by e-mail", resp, err)
	}
	for i := range list {
		id := toIdentity(&list[i])
		// The identifier could belong to another trait (a phone) or schema.
		if id.Email == email && (schema == "" || id.Schema == schema) {
			return id, nil
		}
	}
	return identity.Identity{}, fmt.Errorf("ory: no %s identity with that e-mail: %w", schemaLabel(schema), errs.ErrNotFound)
}

func schemaLabel(schema string) string {
	if schema == "" {
		return "any"
	}
	return schema
}

// RecoveryLink implements identity.Directory (POST /admin/recovery/code). The flow
// is a browser flow: the link opens the web UI's recovery page
// (selfservice.flows.recovery.ui_url) and the code is entered there. Kratos sends
// no e-mail for admin codes.
func (k *Kratos) RecoveryLink(ctx context.Context, id string, expiresIn time.Duration) (string, string, error) {
	if err := checkID(id); err != nil {
		return "", "", err
	}
	body := client.CreateRecoveryCodeForIdentityBody{IdentityId: id}
	flowType := "browser"
	body.FlowType = &flowType
	if expiresIn > 0 {
		// Kratos parses it with time.ParseDuration ("72h0m0s").
		s := expiresIn.String()
		body.ExpiresIn = &s
	}
	raw, resp, err := k.admin.IdentityAPI.CreateRecoveryCodeForIdentity(ctx).CreateRecoveryCodeForIdentityBody(body).Execute()
	closeBody(resp)
	if err != nil {
		if statusOf(resp) == http.StatusNotFound {
			return "", "", fmt.Errorf("ory: recovery code: identity %s: %w", id, errs.ErrNotFound)
		}
		return "", "", callError("create recovery code", resp, err)
	}
	return raw.RecoveryLink, raw.RecoveryCode, nil
}

// Disable implements identity.Directory: PATCH /admin/identities/{id} (state
// inactive), then DELETE /admin/identities/{id}/sessions so that a later Enable
// does not revive old sessions. Idempotent.
func (k *Kratos) Disable(ctx context.Context, id string) error {
	if err := k.setState(ctx, id, stateInactive); err != nil {
		return err
	}
	k.cache.removeIdentity(id)
	return k.RevokeSessions(ctx, id)
}

// Enable implements identity.Directory (PATCH /admin/identities/{id}, state active).
func (k *Kratos) Enable(ctx context.Context, id string) error {
	return k.setState(ctx, id, stateActive)
}

func (k *Kratos) setState(ctx context.Context, id, state string) error {
	if err := checkID(id); err != nil {
		return err
	}
	patch := []client.JsonPatch{{Op: "replace", Path: "/state", Value: state}}
	_, resp, err := k.admin.IdentityAPI.PatchIdentity(ctx, id).JsonPatch(patch).Execute()
	closeBody(resp)
	if err != nil {
		if statusOf(resp) == http.StatusNotFound {
			return fmt.Errorf("ory: set identity %s %s: %w", id, state, errs.ErrNotFound)
		}
		return callError("set identity state "+state, resp, err)
	}
	return nil
}

// Delete implements identity.Directory (DELETE /admin/identities/{id}; Kratos
// deletes the credentials and sessions with it).
func (k *Kratos) Delete(ctx context.Context, id string) error {
	if err := checkID(id); err != nil {
		return err
	}
	resp, err := k.admin.IdentityAPI.DeleteIdentity(ctx, id).Execute()
	closeBody(resp)
	k.cache.removeIdentity(id)
	if err != nil {
		if statusOf(resp) == http.StatusNotFound {
			return fmt.Errorf("ory: delete identity %s: %w", id, errs.ErrNotFound)
		}
		return callError("delete identity", resp, err)
	}
	return nil
}

// RevokeSessions implements identity.Directory
// (DELETE /admin/identities/{id}/sessions).
func (k *Kratos) RevokeSessions(ctx context.Context, id string) error {
	if err := checkID(id); err != nil {
		return err
	}
	k.cache.removeIdentity(id)
	resp, err := k.admin.IdentityAPI.DeleteIdentitySessions(ctx, id).Execute()
	closeBody(resp)
	if err == nil {
		return nil
	}
	if statusOf(resp) != http.StatusNotFound {
		return callError("revoke sessions", resp, err)
	}
	// WARNING: Kratos answers 404 both for an unknown identity and for an
	// identity that has no session to delete; only the second is a success.
	if _, err := k.Get(ctx, id); err != nil {
		return fmt.Errorf("ory: revoke sessions: %w", err)
	}
	return nil
}

// checkID rejects what cannot be a Kratos identity id before it reaches a URL path.
func checkID(id string) error {
	if _, err := uuid.Parse(id); err != nil || len(id) != 36 {
		return fmt.Errorf("ory: malformed identity id: %w", errs.ErrNotFound)
	}
	return nil
}

// ResetCredentials implements identity.Directory: PUT /admin/identities/{id}
// with the same traits and a fresh random password nobody is told, then the
// second factors are deleted and every session revoked. Afterwards only whoever
// reads the address's mail (a recovery code) can reach the account.
func (k *Kratos) ResetCredentials(ctx context.Context, id string) error {
	if err := checkID(id); err != nil {
		return err
	}
	raw, resp, err := k.admin.IdentityAPI.GetIdentity(ctx, id).Execute()
	closeBody(resp)
	if err != nil {
		if statusOf(resp) == http.StatusNotFound {
			return fmt.Errorf("ory: reset credentials %s: %w", id, errs.ErrNotFound)
		}
		return callError("reset credentials: get identity", resp, err)
	}
	var secret [32]byte
	if _, err := rand.Read(secret[:]); err != nil {
		return err
	}
	password := base64.RawURLEncoding.EncodeToString(secret[:])
	traits, _ := raw.Traits.(map[string]any)
	body := client.UpdateIdentityBody{
		SchemaId: raw.SchemaId,
		State:    stateActive,
		Traits:   traits,
		Credentials: &client.IdentityWithCredentials{Password: &client.IdentityWithCredentialsPassword{
			Config: &client.IdentityWithCredentialsPasswordConfig{Password: &password},
		}},
	}
	if raw.State != nil {
		body.State = *raw.State
	}
	if raw.MetadataPublic != nil {
		body.MetadataPublic = raw.MetadataPublic
	}
	if raw.MetadataAdmin != nil {
		body.MetadataAdmin = raw.MetadataAdmin
	}
	_, resp, err = k.admin.IdentityAPI.UpdateIdentity(ctx, id).UpdateIdentityBody(body).Execute()
	closeBody(resp)
	if err != nil {
		return callError("reset credentials: update identity", resp, err)
	}
	// A second factor the previous holder enrolled would stand between the
	// address's owner and the account.
	for _, typ := range []string{"totp", "lookup_secret", "webauthn"} {
		resp, err := k.admin.IdentityAPI.DeleteIdentityCredentials(ctx, id, typ).Execute()
		closeBody(resp)
		if err != nil && statusOf(resp) != http.StatusNotFound && statusOf(resp) != http.StatusBadRequest {
			return callError("reset credentials: delete "+typ, resp, err)
		}
	}
	return k.RevokeSessions(ctx, id)
}

// MarkVerified records the identity's e-mail address as verified without
// the code flow. Only for addresses nobody can read, which Torque itself
// creates: the demo and load-test workshops' staff (internal/seed) and test
// fixtures. Never for an address a person typed.
func (k *Kratos) MarkVerified(ctx context.Context, id string) error {
	if err := checkID(id); err != nil {
		return err
	}
	_, resp, err := k.admin.IdentityAPI.PatchIdentity(ctx, id).JsonPatch([]client.JsonPatch{
		{Op: "replace", Path: "/verifiable_addresses/0/verified", Value: true},
		{Op: "replace", Path: "/verifiable_addresses/0/status", Value: "completed"},
	}).Execute()
	closeBody(resp)
	if err != nil {
		if statusOf(resp) == http.StatusNotFound {
			return fmt.Errorf("ory: mark verified %s: %w", id, errs.ErrNotFound)
		}
		return callError("mark verified", resp, err)
	}
	return nil
}
