package clickhouse

import (
	"crypto/hmac"
	"crypto/sha256"
	"errors"

	"github.com/google/uuid"
)

// Pseudonyms turns a workshop's customer, vehicle and mechanic ids into
// stable pseudonyms: HMAC-SHA256 under a key derived per workshop from one
// root key, truncated to 16 bytes and shaped as a UUID (version 8). Without
// the root key a pseudonym cannot be linked to the record, and the same
// person has unrelated pseudonyms in two workshops, so nothing in ClickHouse
// lets a franchise manager trace a person across shops.
type Pseudonyms struct {
	root []byte
}

// NewPseudonyms returns the pseudonymiser for root (at least 32 bytes).
func NewPseudonyms(root []byte) (*Pseudonyms, error) {
	if len(root) < 32 {
		return nil, errors.New("analytics pseudonym key: want at least 32 bytes")
	}
	return &Pseudonyms{root: append([]byte(nil), root...)}, nil
}

// DeriveRootKey derives the analytics root key from other key material
// (e.g. the master key setting) under a fixed label, for installations that
// do not set a dedicated key.
func DeriveRootKey(material string) []byte {
	m := hmac.New(sha256.New, []byte("torque/analytics/pseudonyms/v1"))
	_, _ = m.Write([]byte(material))
	return m.Sum(nil)
}

func (p *Pseudonyms) of(workshopID uuid.UUID, kind, id string) uuid.UUID {
	k := hmac.New(sha256.New, p.root)
	_, _ = k.Write(workshopID[:])
	m := hmac.New(sha256.New, k.Sum(nil))
	_, _ = m.Write([]byte(kind + ":" + id))
	var out uuid.UUID
	copy(out[:], m.Sum(nil))
	out[6] = (out[6] & 0x0f) | 0x80 // version 8 (custom)
	out[8] = (out[8] & 0x3f) | 0x80 // RFC 4122 variant
	return out
}

// Customer is the pseudonym of a workshop's customer (uuid.Nil stays nil).
func (p *Pseudonyms) Customer(workshopID, customerID uuid.UUID) uuid.UUID {
	if customerID == uuid.Nil {
		return uuid.Nil
	}
	return p.of(workshopID, "customer", customerID.String())
}

// Vehicle is the pseudonym of a workshop's vehicle.
func (p *Pseudonyms) Vehicle(workshopID, vehicleID uuid.UUID) uuid.UUID {
	if vehicleID == uuid.Nil {
		return uuid.Nil
	}
	return p.of(workshopID, "vehicle", vehicleID.String())
}

// Mechanic is the pseudonym of a staff identity ("" stays nil).
func (p *Pseudonyms) Mechanic(workshopID uuid.UUID, identityID string) uuid.UUID {
	if identityID == "" {
		return uuid.Nil
	}
	return p.of(workshopID, "mechanic", identityID)
}
