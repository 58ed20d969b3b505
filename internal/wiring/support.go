package wiring

import (
	"context"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/torquehq/torque/application/support"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/application/workshops"
	dsupport "github.com/torquehq/torque/domain/support"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/infrastructure/markdown"
	"github.com/torquehq/torque/infrastructure/readmodel"
	"github.com/torquehq/torque/interfaces/httpapi"
)

// buildSupport wires customer support (issue 13).
func (s *System) buildSupport() error {
	base := usecase.Base{Consistency: s.Consistency, Logger: s.Log}
	customers := readmodel.NewCustomerReadModel(s.Pool, s.Cipher)
	orders := readmodel.NewServiceOrderReadModel(s.Pool, s.Cipher)
	var err error
	s.Support, err = support.New(base, support.Deps{
		Store:     s.Store,
		Tickets:   readmodel.NewTicketReadModel(s.Pool, s.Cipher),
		Articles:  readmodel.NewArticleStore(s.Pool),
		Renderer:  markdown.New(),
		Hours:     workshopHours{s},
		Images:    articleImages{readmodel.NewAssetStore(s.Pool)},
		Directory: workshopSlugs{s},
		Orders: orderOwners(func(ctx context.Context, id uuid.UUID) (uuid.UUID, error) {
			o, err := orders.ServiceOrder(ctx, id)
			return o.CustomerID, err
		}),
		Notifier: support.MailNotifier{Mailer: s.Mailer, Contacts: customerContacts(func(ctx context.Context, id uuid.UUID) (string, error) {
			c, err := customers.Customer(ctx, id, true)
			if err != nil || c.Contact == nil {
				return "", err
			}
			return c.Contact.Email, nil
		})},
	})
	if err != nil {
		return err
	}
	store := readmodel.NewChatStore(s.Pool, s.Cipher)
	s.ChatHub = support.NewChatHub(store)
	if err := s.Support.EnableChat(support.ChatDeps{Store: store, Hub: s.ChatHub}); err != nil {
		return err
	}
	// Every API process hears every stored chat message (LISTEN/NOTIFY) and
	// delivers it to its own sockets.
	listener := &readmodel.ChatListener{Pool: s.Pool, Hub: s.ChatHub, Log: s.Log}
	lctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); listener.Run(lctx) }()
	s.stopChat = func() { stop(); <-done }
	return nil
}

// SupportHandlers are the REST handlers of customer support; the portal
// mount calls their MountPortal.
func (s *System) SupportHandlers() *httpapi.SupportHandlers {
	return &httpapi.SupportHandlers{Support: s.Support, Log: s.Log,
		Chat: &httpapi.ChatHandlers{Support: s.Support, Log: s.Log}}
}

type workshopHours struct{ s *System }

func (w workshopHours) OpeningHours(ctx context.Context) (string, []dsupport.Window, error) {
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return "", nil, err
	}
	ws, err := w.s.Directory.WorkshopByID(ctx, tid.UUID())
	if err != nil {
		return "", nil, err
	}
	var out []dsupport.Window
	for _, h := range ws.Profile.BusinessHours {
		o, ok1 := dsupport.ParseClock(h.Opens)
		c, ok2 := dsupport.ParseClock(h.Closes)
		if ok1 && ok2 && h.Weekday >= 0 && h.Weekday <= 6 {
			out = append(out, dsupport.Window{Weekday: timeWeekday(h.Weekday), Opens: o, Close: c})
		}
	}
	return ws.Profile.TimeZone, out, nil
}

type workshopSlugs struct{ s *System }

func (w workshopSlugs) WorkshopIDBySlug(ctx context.Context, slug string) (uuid.UUID, error) {
	ws, err := w.s.Directory.WorkshopBySlug(ctx, slug)
	return ws.ID, err
}

type orderOwners func(ctx context.Context, id uuid.UUID) (uuid.UUID, error)

func (f orderOwners) OrderCustomer(ctx context.Context, id uuid.UUID) (uuid.UUID, error) {
	return f(ctx, id)
}

type customerContacts func(ctx context.Context, id uuid.UUID) (string, error)

func (f customerContacts) CustomerEmail(ctx context.Context, id uuid.UUID) (string, error) {
	return f(ctx, id)
}

func timeWeekday(d int) time.Weekday { return time.Weekday(d) }

// articleImages keeps article images beside the logo (workshop_assets).
type articleImages struct{ a *readmodel.PostgresAssetStore }

func (i articleImages) PutImage(ctx context.Context, name string, img support.Image) error {
	return i.a.Put(ctx, name, workshops.Asset{ContentType: img.ContentType, Data: img.Data, SHA256: img.SHA256})
}

func (i articleImages) GetImage(ctx context.Context, name string) (support.Image, error) {
	a, err := i.a.Get(ctx, name)
	return support.Image{ContentType: a.ContentType, Data: a.Data, SHA256: a.SHA256}, err
}

// portalChat is the car owner's chat (the API's handlers) for the portal
// pages, which mount it behind their cookie session.
func (s *System) portalChat() http.Handler {
	r := chi.NewRouter()
	(&httpapi.ChatHandlers{Support: s.Support, Log: s.Log}).MountPortal(r)
	return r
}
