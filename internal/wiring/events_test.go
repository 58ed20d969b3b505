package wiring

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/es"
	"github.com/torquehq/torque/infrastructure/crypto"
	"github.com/torquehq/torque/infrastructure/eventcodec"
)

var update = flag.Bool("update", false, "write the missing golden event payloads of the current schemas in testdata/events")

const goldenDir = "testdata/events"

func registered(t *testing.T) *eventcodec.Codec {
	t.Helper()
	r := eventcodec.New()
	RegisterEvents(r)
	return r
}

// Every type with an EventName method in the domain packages is in a
// catalogue, and the binary registers exactly the catalogued types: no event
// can be forgotten, and no hand-kept list remains to drift.
func TestEvents_EveryDomainEventIsCatalogued(t *testing.T) {
	t.Parallel()
	declared := domainEventNames(t, "../../domain")
	if len(declared) == 0 {
		t.Fatal("found no EventName methods in the domain packages")
	}
	var catalogued []string
	for _, c := range EventCatalogues() {
		catalogued = append(catalogued, c.Names()...)
	}
	sort.Strings(catalogued)
	names := slices.Sorted(maps.Keys(declared))
	if !slices.Equal(names, catalogued) {
		t.Errorf("domain event types and catalogues differ:\n declared   %v\n catalogued %v", names, catalogued)
	}
	if got := registered(t).Types(); !slices.Equal(got, catalogued) {
		t.Errorf("registered types and catalogues differ:\n registered %v\n catalogued %v", got, catalogued)
	}
}

// domainEventNames reads the literal each EventName method of the domain's
// non-test sources returns, keyed by name with the declaring type as value.
func domainEventNames(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || fn.Name.Name != "EventName" {
				continue
			}
			recv := fmt.Sprintf("%s.%s", f.Name.Name, receiverType(fn.Recv.List[0].Type))
			name, ok := literalReturn(fn)
			if !ok {
				t.Errorf("%s: %s.EventName must return a string literal", fset.Position(fn.Pos()), recv)
				continue
			}
			if other, dup := out[name]; dup {
				t.Errorf("%s and %s are both named %s", other, recv, name)
			}
			out[name] = recv
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func receiverType(e ast.Expr) string {
	if star, ok := e.(*ast.StarExpr); ok {
		e = star.X
	}
	if id, ok := e.(*ast.Ident); ok {
		return id.Name
	}
	return fmt.Sprintf("%T", e)
}

func literalReturn(fn *ast.FuncDecl) (string, bool) {
	if fn.Body == nil || len(fn.Body.List) != 1 {
		return "", false
	}
	ret, ok := fn.Body.List[0].(*ast.ReturnStmt)
	if !ok || len(ret.Results) != 1 {
		return "", false
	}
	lit, ok := ret.Results[0].(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

// Every event type a projection handles is a registered event name, so a
// typo or a removed event cannot leave a projection silently waiting.
func TestEvents_ProjectionsHandleKnownTypes(t *testing.T) {
	t.Parallel()
	r := registered(t)
	for _, p := range AllProjections(&crypto.EnvelopeCipher{}) {
		seen := map[string]bool{}
		for _, name := range p.Handles() {
			if !r.Known(name) {
				t.Errorf("projection %s handles %q, which is no registered event type", p.Name(), name)
			}
			if seen[name] {
				t.Errorf("projection %s lists %s twice", p.Name(), name)
			}
			seen[name] = true
		}
	}
}

// Stored payloads never change shape silently. For every catalogued event a
// fixed sample is encoded and compared with testdata/events/NAME@SCHEMA.json,
// and every golden file, of the current or an older schema, must still decode
// (older ones through the upcasters). Run with -update to write the golden
// files of new events or new schemas; it never rewrites an existing one,
// since events of that shape may be stored. See "Events and versioning" in
// docs/architecture.md.
func TestEvents_GoldenPayloads(t *testing.T) {
	t.Parallel()
	r := registered(t)
	specs := map[string]es.EventSpec{}
	for _, c := range EventCatalogues() {
		for _, s := range c {
			specs[s.Name()] = s
		}
	}
	ctx := context.Background()
	const tenantID, streamID = "00000000-0000-7000-8000-00000000aaaa", "00000000-0000-7000-8000-00000000bbbb"

	for name, spec := range specs {
		sample := sampleOf(spec.Event)
		enc, err := r.Encode(ctx, tenantID, streamID, sample)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if enc.Schema != spec.Schema() {
			t.Errorf("%s: encoded at schema %d, catalogue says %d", name, enc.Schema, spec.Schema())
		}
		path := goldenPath(name, spec.Schema())
		golden, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) && *update {
			writeGolden(t, path, enc.Payload)
			continue
		}
		if err != nil {
			t.Errorf("%s: no golden payload for schema %d (%v); run go test ./internal/wiring -run TestEvents_GoldenPayloads -update", name, spec.Schema(), err)
			continue
		}
		if !sameJSON(t, golden, enc.Payload) {
			t.Errorf("%s: the stored shape changed without a new schema:\n golden  %s\n encoded %s\n"+
				"add an upcaster to the event's spec (bumping its schema), keep %s and run with -update "+
				"(-update never rewrites an existing golden file: delete it first only if the event was never released)",
				name, compact(golden), enc.Payload, path)
			continue
		}
		back, err := r.Decode(ctx, tenantID, streamID, name, spec.Schema(), golden)
		if err != nil {
			t.Errorf("%s: decode golden: %v", name, err)
		} else if !reflect.DeepEqual(back, sample) {
			t.Errorf("%s: golden decodes to %#v, want %#v", name, back, sample)
		}
	}

	files, err := filepath.Glob(filepath.Join(goldenDir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range files {
		name, schema, ok := parseGoldenPath(path)
		spec, known := specs[name]
		switch {
		case !ok:
			t.Errorf("%s: golden files are named NAME@SCHEMA.json", path)
		case !known:
			t.Errorf("%s: %s is no longer catalogued, but stored events of it must still load", path, name)
		case schema > spec.Schema():
			t.Errorf("%s: schema %d is newer than the catalogue's %d", path, schema, spec.Schema())
		case schema < spec.Schema():
			checkOldGolden(t, r, spec, schema, path)
		}
	}
}

// writeGolden writes an encoded payload indented, for readable diffs.
func writeGolden(t *testing.T, path string, payload []byte) {
	t.Helper()
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, payload, "", "  "); err != nil {
		t.Fatal(err)
	}
	pretty.WriteByte('\n')
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, pretty.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// personalPath pins, per event type, the data subject and personal fields
// its stored payloads were sealed with.
const personalPath = "testdata/personal_fields.json"

type personalSpec struct {
	Subject  string   `json:"subject,omitempty"`
	Personal []string `json:"personal"`
	// SealedFrom and Schema pin fields marked personal after the type was
	// stored: older schemas hold them in the clear (es.EventSpec.SealedFrom).
	SealedFrom map[string]int `json:"sealed_from,omitempty"`
	Schema     int            `json:"schema,omitempty"`
}

// The personal fields of a stored event type never change: the payload hook
// opens the fields the catalogue lists for a payload's schema, so a change
// would make the stored events unreadable. The one change allowed is adding
// a personal field sealed from a schema newer than the pinned one (with the
// same subject), since payloads of older schemas are then opened without it.
// -update adds new types and records such additions, never other changes.
func TestEvents_PersonalFieldsArePinned(t *testing.T) {
	t.Parallel()
	pinned := map[string]personalSpec{}
	b, err := os.ReadFile(personalPath)
	switch {
	case err == nil:
		if err := json.Unmarshal(b, &pinned); err != nil {
			t.Fatalf("%s: %v", personalPath, err)
		}
	case !errors.Is(err, fs.ErrNotExist) || !*update:
		t.Fatal(err)
	}
	added := false
	for _, c := range EventCatalogues() {
		for _, s := range c {
			personal := slices.Sorted(slices.Values(s.Personal))
			if personal == nil {
				personal = []string{}
			}
			cur := personalSpec{Subject: s.Subject, Personal: personal}
			if len(s.SealedFrom) > 0 {
				cur.SealedFrom, cur.Schema = s.SealedFrom, s.Schema()
			}
			old, ok := pinned[s.Name()]
			switch {
			case !ok && *update:
				pinned[s.Name()], added = cur, true
			case !ok:
				t.Errorf("%s: not in %s; run with -update", s.Name(), personalPath)
			case reflect.DeepEqual(old, cur):
			case !laterSealed(old, cur):
				t.Errorf("%s: personal fields changed from %+v to %+v; stored events would no longer open (use a new .vN type, or seal a new field from a new schema only)", s.Name(), old, cur)
			case *update:
				pinned[s.Name()], added = cur, true
			default:
				t.Errorf("%s: personal fields added from schema %d (%+v); run with -update to pin them", s.Name(), cur.Schema, cur)
			}
		}
	}
	if added {
		out, err := json.MarshalIndent(pinned, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(personalPath, append(out, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// laterSealed reports whether cur only adds personal fields to old, each
// sealed from a schema newer than old's, keeping everything old pinned.
func laterSealed(old, cur personalSpec) bool {
	oldSchema := max(old.Schema, 1)
	if old.Subject != "" && old.Subject != cur.Subject || cur.Schema <= oldSchema && len(cur.SealedFrom) != len(old.SealedFrom) {
		return false
	}
	for _, f := range old.Personal {
		if !slices.Contains(cur.Personal, f) || cur.SealedFrom[f] != old.SealedFrom[f] {
			return false
		}
	}
	for _, f := range cur.Personal {
		if !slices.Contains(old.Personal, f) && cur.SealedFrom[f] <= oldSchema {
			return false
		}
	}
	return true
}

// checkOldGolden decodes an older stored shape through the registry and
// checks the upcasters turn it into exactly the current shape: nothing
// unknown left over, nothing of the current shape missing.
func checkOldGolden(t *testing.T, r *eventcodec.Codec, spec es.EventSpec, schema int, path string) {
	t.Helper()
	payload, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := r.Decode(context.Background(), "00000000-0000-7000-8000-00000000aaaa", "00000000-0000-7000-8000-00000000bbbb",
		spec.Name(), schema, payload)
	if err != nil {
		t.Errorf("%s: stored events of schema %d no longer load: %v", path, schema, err)
		return
	}
	upcast := payload
	for _, up := range spec.Upcasters[schema-1:] {
		if upcast, err = up(upcast); err != nil {
			t.Errorf("%s: %v", path, err)
			return
		}
	}
	again, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	if !sameJSON(t, upcast, again) {
		t.Errorf("%s: upcasting from schema %d gives %s, which is not the current shape %s", path, schema, upcast, again)
	}
}

func goldenPath(name string, schema int) string {
	return filepath.Join(goldenDir, fmt.Sprintf("%s@%d.json", name, schema))
}

func parseGoldenPath(path string) (string, int, bool) {
	base, ok := strings.CutSuffix(filepath.Base(path), ".json")
	if !ok {
		return "", 0, false
	}
	i := strings.LastIndexByte(base, '@')
	if i < 0 {
		return "", 0, false
	}
	schema, err := strconv.Atoi(base[i+1:])
	return base[:i], schema, err == nil && schema > 0
}

func sameJSON(t *testing.T, a, b []byte) bool {
	t.Helper()
	return reflect.DeepEqual(anyJSON(t, a), anyJSON(t, b))
}

func anyJSON(t *testing.T, b []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("invalid JSON %s: %v", b, err)
	}
	return v
}

func compact(b []byte) string {
	var out bytes.Buffer
	if err := json.Compact(&out, b); err != nil {
		return string(b)
	}
	return out.String()
}

// sampleOf returns a deterministic value of e's type with every field set:
// strings hold their field path, numbers count up in field order, times are
// hours after a fixed instant, uuids are numbered, slices and maps hold one
// element. Any change of a field's name, type or nesting shows in the payload.
func sampleOf(e es.Event) es.Event {
	v := reflect.New(reflect.TypeOf(e)).Elem()
	(&sampler{}).fill(v, "")
	return v.Interface().(es.Event)
}

type sampler struct{ n int }

var (
	sampleEpoch = time.Date(2025, time.March, 14, 9, 30, 0, 0, time.UTC)
	timeType    = reflect.TypeFor[time.Time]()
	uuidType    = reflect.TypeFor[uuid.UUID]()
)

func (s *sampler) next() int { s.n++; return s.n }

func (s *sampler) fill(v reflect.Value, path string) {
	switch v.Type() {
	case timeType:
		v.Set(reflect.ValueOf(sampleEpoch.Add(time.Duration(s.next()) * time.Hour)))
		return
	case uuidType:
		v.Set(reflect.ValueOf(uuid.MustParse(fmt.Sprintf("00000000-0000-7000-8000-%012d", s.next()))))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(path)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(s.next()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(s.next()))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(s.next()) + 0.5)
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Type().Field(i); f.IsExported() {
				s.fill(v.Field(i), strings.TrimPrefix(path+"."+f.Name, "."))
			}
		}
	case reflect.Slice:
		one := reflect.MakeSlice(v.Type(), 1, 1)
		s.fill(one.Index(0), path+"[0]")
		v.Set(one)
	case reflect.Array:
		for i := range v.Len() {
			s.fill(v.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		key, val := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		s.fill(key, path+".key")
		s.fill(val, path+".value")
		m.SetMapIndex(key, val)
		v.Set(m)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		s.fill(p.Elem(), path)
		v.Set(p)
	default:
		panic(fmt.Sprintf("sample of %s: cannot fill a %s", path, v.Type()))
	}
}
