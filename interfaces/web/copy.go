package web

import "github.com/torquehq/torque/application/i18n"

// pageCopy is the back office's own text; the application's (validation
// codes, problem titles, roles) comes from i18n.ApplicationMessages.
var pageCopy = i18n.Messages{i18n.PtBR: pageCopyPtBR, i18n.En: pageCopyEn}

// messages is every text the back office shows.
var messages = i18n.NewCatalogue(pageCopy, portalCopy, messagingCopy, quoteCopy, bookingCopy, reminderCopy, identityCopy, mfaCopy, supportCopy, portalPagesCopy, portalBookingCopy, portalSupportCopy, i18n.ApplicationMessages, i18n.BookingMessages)

// tr returns the text for key in locale l (see i18n.Catalogue.T).
func tr(l i18n.Locale, key string, args ...any) string { return messages.T(l, key, args...) }
