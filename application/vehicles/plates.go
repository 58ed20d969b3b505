package vehicles

import (
	"github.com/torquehq/torque/application/privacy"
)

// samePlateKey reports whether two plates share one unique key (an old
// plate and its Mercosul conversion).
func samePlateKey(a, b string) bool {
	ta, oka := privacy.PlateTerm(a)
	tb, okb := privacy.PlateTerm(b)
	return oka && okb && ta == tb
}
