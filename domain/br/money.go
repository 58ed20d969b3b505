package br

import (
	"math"
	"strconv"
	"strings"
)

// Money is a non-negative amount of Brazilian reais, stored as an integer
// number of centavos. Integers avoid the rounding errors of float64 (0.1 +
// 0.2) that would otherwise make quotes and invoices disagree by a cent.
//
// The zero value is R$ 0,00, a valid amount. Negative amounts are refused
// because every amount the workshop handles (parts, labour, payments) is
// non-negative; discounts and refunds are modelled as their own concepts.
type Money struct {
	cents int64
}

// NewMoneyCents returns an amount of c centavos; negative c is out_of_range.
func NewMoneyCents(c int64) (Money, error) {
	if c < 0 {
		return Money{}, newError(fieldAmountCents, CodeOutOfRange, "amount must not be negative")
	}
	return Money{cents: c}, nil
}

// Cents returns the amount in centavos.
func (m Money) Cents() int64 { return m.cents }

// Add returns m + o, or an out_of_range error if the sum overflows int64
// (silently wrapping to a negative total would be far worse than failing).
func (m Money) Add(o Money) (Money, error) {
	if m.cents > math.MaxInt64-o.cents {
		return Money{}, newError(fieldAmountCents, CodeOutOfRange, "amount overflow")
	}
	return Money{cents: m.cents + o.cents}, nil
}

// Mul returns m × qty (e.g. unit price × quantity of a part). A negative
// qty or an overflowing product is out_of_range.
func (m Money) Mul(qty int64) (Money, error) {
	if qty < 0 {
		return Money{}, newError(fieldAmountCents, CodeOutOfRange, "quantity must not be negative")
	}
	if qty != 0 && m.cents > math.MaxInt64/qty {
		return Money{}, newError(fieldAmountCents, CodeOutOfRange, "amount overflow")
	}
	return Money{cents: m.cents * qty}, nil
}

// String formats the amount pt-BR style, "R$ 1.234,56", with a plain ASCII
// space after the symbol (unlike JavaScript's Intl, which uses U+00A0) so
// that the output is safe in CSVs and logs. ParseMoneyBRL accepts it back.
func (m Money) String() string {
	reais := strconv.FormatInt(m.cents/100, 10)
	cents := m.cents % 100
	var b strings.Builder
	b.Grow(len(reais) + len(reais)/3 + 6)
	b.WriteString("R$ ")
	for i := 0; i < len(reais); i++ {
		if i > 0 && (len(reais)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteByte(reais[i])
	}
	b.WriteByte(',')
	b.WriteByte(byte('0' + cents/10))
	b.WriteByte(byte('0' + cents%10))
	return b.String()
}

// ParseMoneyBRL parses a pt-BR amount into centavos: "1.234,56",
// "R$ 1.234,56", "1234,56", "1234" (whole reais) or "0,5" (50 centavos).
//
// '.' is only accepted as a thousands separator in correct groups of three
// and ',' as the decimal separator with at most two digits. That makes the
// ambiguous "1.234" mean R$ 1.234,00 (as any Brazilian reads it) and rejects
// "1234.56" or "1,234.56" rather than guessing: misreading a price by a
// factor of 100 is worse than asking again. More than two decimals is
// refused instead of rounded for the same reason.
//
// The "R$" prefix is optional and may be followed by spaces or a
// non-breaking space (what Intl.NumberFormat("pt-BR") produces). A minus
// sign makes an otherwise valid amount out_of_range.
func ParseMoneyBRL(s string) (Money, error) {
	const field = fieldAmountCents
	s = strings.TrimSpace(s)
	if s == "" {
		return Money{}, errRequired(field)
	}
	negative := false
	if strings.HasPrefix(s, "-") {
		negative = true
		s = s[1:]
	}
	if len(s) >= 2 && (s[0] == 'R' || s[0] == 'r') && s[1] == '$' {
		s = strings.TrimLeft(s[2:], " \u00a0")
	}
	if !negative && strings.HasPrefix(s, "-") {
		negative = true
		s = s[1:]
	}

	intPart, frac, hasComma := strings.Cut(s, ",")
	reais, ok := parseGroupedInt(intPart)
	if !ok {
		return Money{}, newError(field, CodeInvalidFormat, "amount must look like 1.234,56 (',' for centavos, '.' for thousands)")
	}
	var cents int64
	if hasComma {
		if len(frac) < 1 || len(frac) > 2 || !allDigits(frac) {
			return Money{}, newError(field, CodeInvalidFormat, "amount must have one or two digits after ','")
		}
		c, _ := strconv.ParseInt(frac, 10, 64)
		if len(frac) == 1 {
			c *= 10
		}
		cents = c
	}
	if negative {
		return Money{}, newError(field, CodeOutOfRange, "amount must not be negative")
	}
	if reais < 0 || reais > (math.MaxInt64-cents)/100 {
		return Money{}, newError(field, CodeOutOfRange, "amount is too large")
	}
	return Money{cents: reais*100 + cents}, nil
}

// parseGroupedInt parses "1234" or "1.234.567" (groups of exactly three
// after the first). It returns -1, true when the syntax is fine but the
// value does not fit in an int64, so the caller can report out_of_range
// instead of invalid_format.
func parseGroupedInt(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	if strings.Contains(s, ".") {
		groups := strings.Split(s, ".")
		if len(groups[0]) < 1 || len(groups[0]) > 3 {
			return 0, false
		}
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return 0, false
			}
		}
		s = strings.Join(groups, "")
	}
	if !allDigits(s) {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return -1, true // only digits, so the error can only be ErrRange
	}
	return n, true
}
