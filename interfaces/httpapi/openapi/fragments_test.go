package openapi

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestMergeFragments_addsPathsAndRefusesADuplicate(t *testing.T) {
	t.Parallel()
	base := func() *jnode {
		n, err := parseJSONOrdered([]byte(`{"tags":[{"name":"a"}],"paths":{"/a":{}},"components":{"schemas":{"A":{}}}}`))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	doc := base()
	ok := fstest.MapFS{"parts/b.json": {Data: []byte(`{"tags":[{"name":"b"}],"paths":{"/b":{}},"components":{"schemas":{"B":{}}}}`)}}
	if err := mergeFragments(doc, ok); err != nil {
		t.Fatal(err)
	}
	if doc.get("paths", "/b") == nil || doc.get("components", "schemas", "B") == nil || len(doc.get("tags").arr) != 2 {
		t.Fatalf("fragment not merged: %s", doc.pretty())
	}
	if got := doc.get("paths").keys; strings.Join(got, ",") != "/a,/b" {
		t.Fatalf("paths order = %v, want the base's first", got)
	}
	dup := fstest.MapFS{"parts/c.json": {Data: []byte(`{"paths":{"/a":{}}}`)}}
	if err := mergeFragments(base(), dup); err == nil || !strings.Contains(err.Error(), `"/a" is defined twice`) {
		t.Fatalf("duplicate path: err = %v", err)
	}
}
