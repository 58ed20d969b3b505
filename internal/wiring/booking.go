package wiring

import (
	"context"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/torquehq/torque/application/booking"
	"github.com/torquehq/torque/application/serviceorders"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/domain/serviceorder"
	"github.com/torquehq/torque/infrastructure/readmodel"
	"github.com/torquehq/torque/interfaces/httpapi"
)

// NewBooking builds the online-booking module on the system's adapters.
// The notifier is the pt-BR e-mail one (booking.MailNotifier) until the
// messaging outbox replaces it.
func (s *System) NewBooking() (*booking.UseCases, error) {
	rm := readmodel.NewBookingReadModel(s.Pool, s.Cipher)
	deps := booking.Deps{Store: s.Store, Appointments: rm, Workshops: s.Directory, Catalogs: s.Catalogs,
		Orders: orderOpener{s.Records.ServiceOrders}, Reminders: rm}
	if s.Mailer != nil {
		deps.Notifier = &booking.MailNotifier{Mailer: s.Mailer, Store: s.Store, Catalogs: s.Catalogs, PublicURL: s.Cfg.PublicURL}
	}
	return booking.New(usecase.Base{Consistency: s.Consistency, Logger: s.Log}, deps)
}

// bookingHandlers are the REST handlers of online booking.
func (s *System) bookingHandlers() *httpapi.BookingHandlers {
	return &httpapi.BookingHandlers{Booking: s.Booking, Log: s.Log}
}

// BookingPortalRoutes mounts the car owner's booking routes; the portal's
// router (relative to /api/v1/portal/{slug}) includes it.
func (s *System) BookingPortalRoutes() func(chi.Router) { return s.bookingHandlers().MountPortal }

// orderOpener opens the service order of an arriving appointment through
// the service-order use cases (so numbering, odometer and authz are theirs).
type orderOpener struct{ orders *serviceorders.UseCases }

func (o orderOpener) OpenForAppointment(ctx context.Context, a booking.Appointment) (uuid.UUID, int64, error) {
	in := serviceorder.OpenInput{CustomerID: a.CustomerID.String(), VehicleID: a.VehicleID.String(),
		Description: "Agendamento online: " + strings.Join(a.Services, ", ")}
	if a.Note != "" {
		in.Description += " — " + a.Note
	}
	for _, sv := range a.Services {
		in.Items = append(in.Items, serviceorder.ItemInput{Service: sv, Quantity: 1})
	}
	order, err := o.orders.OpenServiceOrder(ctx, serviceorders.OpenServiceOrderInput{Order: in})
	if err != nil {
		return uuid.Nil, 0, err
	}
	return order.ID, order.Number, nil
}
