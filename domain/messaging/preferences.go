package messaging

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/validate"
)

// ReminderFrequency is how often the customer wants maintenance reminders.
type ReminderFrequency struct{ s string }

// Reminder frequencies.
var (
	RemindEachDue   = ReminderFrequency{"each_due"}
	RemindMonthly   = ReminderFrequency{"monthly"}
	RemindQuarterly = ReminderFrequency{"quarterly"}
	RemindNever     = ReminderFrequency{"never"}
)

// String returns the stable name.
func (f ReminderFrequency) String() string { return f.s }

// ParseReminderFrequency parses a frequency; errors are on "reminders".
func ParseReminderFrequency(s string) (ReminderFrequency, error) {
	for _, f := range []ReminderFrequency{RemindEachDue, RemindMonthly, RemindQuarterly, RemindNever} {
		if f.s == s {
			return f, nil
		}
	}
	return ReminderFrequency{}, errs.Invalid("reminders", CodeUnknownValue, "reminders must be each_due, monthly, quarterly or never")
}

// ClockTime is a time of day in minutes after midnight ("20:00" → 1200).
type ClockTime int

var clockPattern = regexp.MustCompile(`^([01][0-9]|2[0-3]):([0-5][0-9])$`)

// ParseClockTime parses "HH:MM"; errors are on field.
func ParseClockTime(field, s string) (ClockTime, error) {
	m := clockPattern.FindStringSubmatch(s)
	if m == nil {
		return 0, errs.Invalid(field, CodeInvalidFormat, field+" must be HH:MM")
	}
	h, _ := strconv.Atoi(m[1])
	mi, _ := strconv.Atoi(m[2])
	return ClockTime(h*60 + mi), nil
}

// String renders "HH:MM".
func (c ClockTime) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

// QuietHours is a daily window in which nothing is sent; From > To spans
// midnight ("20:00"–"08:00"). From == To means no quiet hours.
type QuietHours struct{ From, To ClockTime }

// DefaultQuietHours is 20:00–08:00.
var DefaultQuietHours = QuietHours{From: 20 * 60, To: 8 * 60}

// Contains reports whether minute-of-day m is quiet.
func (q QuietHours) Contains(m ClockTime) bool {
	switch {
	case q.From == q.To:
		return false
	case q.From < q.To:
		return m >= q.From && m < q.To
	default:
		return m >= q.From || m < q.To
	}
}

// Preferences are a customer's choices about messages.
type Preferences struct {
	// Channels in order of preference; messages go to the first that works.
	Channels  []Channel
	Reminders ReminderFrequency
	Quiet     QuietHours
	// OptedOut lists the channels the customer unsubscribed from (marketing).
	OptedOut []Channel
}

// DefaultPreferences apply to a customer who never chose: WhatsApp, then
// e-mail, then SMS; each due reminder; 20:00–08:00 quiet.
func DefaultPreferences() Preferences {
	return Preferences{Channels: []Channel{ChannelWhatsApp, ChannelEmail, ChannelSMS}, Reminders: RemindEachDue, Quiet: DefaultQuietHours}
}

// PreferencesInput is the preferences as received.
type PreferencesInput struct {
	Channels  []string
	Reminders string
	QuietFrom string
	QuietTo   string
}

// ParsePreferences validates in (every bad field reported); opted-out
// channels are kept from current.
func ParsePreferences(in PreferencesInput, current Preferences) (Preferences, error) {
	var col errs.Collector
	out := Preferences{OptedOut: current.OptedOut}
	seen := map[Channel]bool{}
	for i, s := range in.Channels {
		ch, err := ParseChannel(fmt.Sprintf("channels[%d]", i), s)
		if err != nil {
			addErr(&col, err)
			continue
		}
		if !seen[ch] {
			seen[ch] = true
			out.Channels = append(out.Channels, ch)
		}
	}
	if in.Channels == nil {
		col.Add("channels", CodeRequired, "channels is required (an empty list means no messages)")
	}
	f, err := ParseReminderFrequency(strings.TrimSpace(in.Reminders))
	addErr(&col, err)
	out.Reminders = f
	from, err := ParseClockTime("quiet_hours.from", in.QuietFrom)
	addErr(&col, err)
	to, err := ParseClockTime("quiet_hours.to", in.QuietTo)
	addErr(&col, err)
	out.Quiet = QuietHours{From: from, To: to}
	if err := col.Err(); err != nil {
		return Preferences{}, err
	}
	return out, nil
}

// Chose reports whether ch is among the chosen channels.
func (p Preferences) Chose(ch Channel) bool { return contains(p.Channels, ch) }

// OptedOutOf reports whether the customer unsubscribed from ch.
func (p Preferences) OptedOutOf(ch Channel) bool { return contains(p.OptedOut, ch) }

func contains(list []Channel, ch Channel) bool {
	for _, c := range list {
		if c == ch {
			return true
		}
	}
	return false
}

func addErr(col *errs.Collector, err error) { validate.AddFieldErrors(col, err) }
