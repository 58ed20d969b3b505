package eventcodec

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/go-json-experiment/json/jsontext"
)

// errNotString is what stringField says of a field that is neither a JSON
// string nor null.
var errNotString = errors.New("not a JSON string")

// allowInvalidUTF8: encoding/json reads invalid UTF-8 as U+FFFD.
var allowInvalidUTF8 = jsontext.AllowInvalidUTF8(true)

// decoder is a jsontext.Decoder kept for reuse with the buffer it reads.
type decoder struct {
	in  bytes.Buffer
	dec jsontext.Decoder
}

var decoders = sync.Pool{New: func() any { return new(decoder) }}

// release returns d to decoders, keeping nothing of the payload alive.
func (d *decoder) release() {
	d.in = bytes.Buffer{}
	d.dec.Reset(&d.in)
	decoders.Put(d)
}

// stringField reads the top-level field name of payload, a JSON object, as
// encoding/json reads a field into a string: found says whether the object
// has it, and null reads as "". The whole payload is checked without
// decoding it: invalid JSON, or a name appearing twice in one object (which
// the payload hook refuses too), is an error. A null payload has no fields.
func stringField(payload []byte, name string) (value string, found bool, err error) {
	d := decoders.Get().(*decoder)
	defer d.release()
	d.in = *bytes.NewBuffer(payload) // read in place, without a copy
	dec := &d.dec
	dec.Reset(&d.in, allowInvalidUTF8)
	var fieldErr error
	switch dec.PeekKind() {
	case 'n':
		err = dec.SkipValue()
	case '{':
		_, err = dec.ReadToken()
		for err == nil && dec.PeekKind() != '}' {
			var key jsontext.Value
			if key, err = dec.ReadValue(); err != nil {
				break
			}
			var buf [64]byte
			if k, kerr := jsontext.AppendUnquote(buf[:0], key); kerr != nil || string(k) != name {
				err = dec.SkipValue()
				continue
			}
			found = true
			switch dec.PeekKind() {
			case '"':
				var tok jsontext.Token
				tok, err = dec.ReadToken()
				value = tok.String()
			case 'n':
				err = dec.SkipValue()
			default:
				fieldErr = fmt.Errorf("%w: %s", errNotString, dec.PeekKind())
				err = dec.SkipValue()
			}
		}
		if err == nil {
			_, err = dec.ReadToken()
		}
	default:
		_, err = dec.ReadValue()
		if err == nil {
			err = errors.New("not a JSON object")
		}
	}
	if err == nil {
		if _, eof := dec.ReadToken(); !errors.Is(eof, io.EOF) {
			err = errors.New("data after the JSON object")
		}
	}
	if err == nil {
		err = fieldErr
	}
	if err != nil {
		return "", false, err
	}
	return value, found, nil
}
