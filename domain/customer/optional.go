package customer

// Optional is one field of a JSON merge patch (RFC 7396), which has three
// states that a pointer cannot tell apart:
//
//	Optional[T]{}                      absent: leave the field as it is
//	Optional[T]{Set: true, Null: true} null:   clear the field
//	Optional[T]{Set: true, Value: v}   value:  set the field to v
//
// Some and Null build the last two. The interfaces layer decodes JSON into
// these; the domain knows nothing of JSON. For optional text fields an
// empty or blank string clears the field just like null does.
type Optional[T any] struct {
	Set   bool
	Null  bool
	Value T
}

// Some returns an Optional that sets the field to v.
func Some[T any](v T) Optional[T] { return Optional[T]{Set: true, Value: v} }

// Null returns an Optional that clears the field.
func Null[T any]() Optional[T] { return Optional[T]{Set: true, Null: true} }
