package httpapi

import (
	"net/http"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/auditlog"
	"github.com/torquehq/torque/application/datasubject"
	"github.com/torquehq/torque/domain/errs"
)

func (h *RecordsHandlers) auditLog(w http.ResponseWriter, r *http.Request) {
	page, err := pageRequest(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	in := datasubject.ListAuditLogInput{Actor: r.URL.Query().Get("actor"), Page: page}
	if s := r.URL.Query().Get("subject_id"); s != "" {
		id, err := uuid.Parse(s)
		if err != nil {
			h.fail(w, r, errs.Invalid("subject_id", "invalid_format", "subject_id must be a UUID"))
			return
		}
		in.SubjectID = id
	}
	res, err := h.DataSubject.ListAuditLog(r.Context(), in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	type entry struct {
		ID        uuid.UUID `json:"id"`
		Actor     string    `json:"actor"`
		At        time.Time `json:"at"`
		SubjectID uuid.UUID `json:"subject_id"`
		Fields    []string  `json:"fields"`
		Endpoint  string    `json:"endpoint"`
	}
	writePage(w, res, func(e auditlog.Entry) entry {
		return entry{ID: e.ID, Actor: e.Actor, At: e.At.UTC(), SubjectID: e.SubjectID, Fields: e.Fields, Endpoint: e.Endpoint}
	})
}
