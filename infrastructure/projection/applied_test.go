package projection

import (
	"testing"

	"github.com/google/uuid"
)

func closed(ch <-chan struct{}) bool { return isClosed(ch) }

// A read-your-writes waiter learns from this process's Runner that its
// event was applied, whether the Runner applied it before or after the
// waiter asked, and never from an older version or another stream.
func TestApplied_AnswersWaitersOfThisProcess(t *testing.T) {
	a := NewApplied()
	stream, other := uuid.New(), uuid.New()

	done, reached, stop := a.watch("registry", stream, 3)
	defer stop()
	if reached {
		t.Fatal("version 3 reached before anything was applied")
	}
	a.record("registry", stream, 2)
	a.record("registry", other, 9)
	a.record("maintenance", stream, 9)
	if closed(done) {
		t.Fatal("the waiter for v3 was released by v2, another stream or another projection")
	}
	a.record("registry", stream, 3)
	if !closed(done) {
		t.Fatal("the waiter for v3 was not released when v3 was applied")
	}

	if _, reached, stop := a.watch("registry", stream, 3); !reached {
		t.Fatal("a waiter arriving after v3 was applied must not wait")
	} else {
		stop()
	}
	if _, reached, stop := a.watch("registry", stream, 4); reached {
		t.Fatal("v4 is not applied yet")
	} else {
		stop()
	}
	if len(a.waiting) != 0 {
		t.Fatalf("stopped waiters left behind: %d", len(a.waiting))
	}
}

// The memory of applied versions is bounded: after two generations an old
// version is forgotten (the Waiter then reads the checkpoint).
func TestApplied_ForgetsOldVersions(t *testing.T) {
	a := NewApplied()
	first := uuid.New()
	a.record("registry", first, 1)
	for i := 0; i < 2*appliedMemory; i++ {
		a.record("registry", uuid.New(), 1)
	}
	if _, reached, stop := a.watch("registry", first, 1); reached {
		t.Fatal("remembered beyond two generations")
	} else {
		stop()
	}
	if len(a.cur) > appliedMemory || len(a.prev) > appliedMemory {
		t.Fatalf("memory grew past its bound: %d + %d", len(a.cur), len(a.prev))
	}
}

func TestApplied_KnowsWhichProjectionsRunHere(t *testing.T) {
	a := NewApplied()
	a.run("registry")
	if !a.runs("registry") || a.runs("maintenance") {
		t.Fatal("runs must report exactly the projections a Runner of this process applies")
	}
}
