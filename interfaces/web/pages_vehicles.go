package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/torquehq/torque/application/customers"
	"github.com/torquehq/torque/application/vehicles"
	"github.com/torquehq/torque/domain/vehicle"
)

func vehicleInput(f map[string][]string) (vehicle.RegisterInput, map[string]string) {
	get := func(k string) string {
		if vs := f[k]; len(vs) > 0 {
			return strings.TrimSpace(vs[0])
		}
		return ""
	}
	bad := map[string]string{}
	in := vehicle.RegisterInput{Plate: get("plate"), Make: get("make"), Model: get("model"), Color: get("color")}
	if y := get("year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil {
			bad["year"] = "invalid_format"
		}
		in.Year = n
	}
	if km := get("mileage_km"); km != "" {
		n, err := strconv.ParseInt(strings.NewReplacer(".", "", " ", "").Replace(km), 10, 64)
		if err != nil {
			bad["mileage_km"] = "invalid_format"
		} else {
			in.MileageKm = &n
		}
	}
	return in, bad
}

// postVehicleForm reads the vehicle form posted for the customer or vehicle
// the path names and, when it parses, saves it: on success it redirects to
// the URL save returns. Otherwise it returns the view of the form with its
// errors beside the fields, to render again; ok is false when it has
// answered the request.
func (h *Handler) postVehicleForm(w http.ResponseWriter, r *http.Request, title string,
	save func(id uuid.UUID, in vehicle.RegisterInput) (redirectTo string, err error)) (view, bool) {
	id, ok := h.pathID(w, r)
	if !ok {
		return view{}, false
	}
	_ = r.ParseForm()
	in, bad := vehicleInput(r.PostForm)
	v := h.newView(r, title)
	v.Form = r.PostForm
	if len(bad) == 0 {
		to, err := save(id, in)
		if err == nil {
			redirect(w, r, to)
			return view{}, false
		}
		if !h.formErrors(r, &v, err) {
			h.fail(w, r, err)
			return view{}, false
		}
	}
	for f, code := range bad {
		v.Errors[f] = messages.FieldError(v.L, code)
	}
	return v, true
}

func (h *Handler) vehicleAdd(w http.ResponseWriter, r *http.Request) {
	v, ok := h.postVehicleForm(w, r, "web.customer.title", func(id uuid.UUID, in vehicle.RegisterInput) (string, error) {
		_, err := h.cfg.Vehicles.AddVehicle(r.Context(), vehicles.AddVehicleInput{CustomerID: id, Vehicle: in})
		return withFlash(h.appPath(r, "/customers/", id.String()), "vehicle_saved") + "#vehicles", err
	})
	if !ok {
		return
	}
	v.Form.Set("vehicle_form_open", "1")
	h.renderCustomer(w, r, http.StatusUnprocessableEntity, &v)
}

type vehiclePage struct {
	Vehicle vehicles.Vehicle
	History vehicles.VehicleHistory
	Owner   customers.Customer
	Others  []customers.Customer
}

func (h *Handler) vehicleEdit(w http.ResponseWriter, r *http.Request) {
	h.renderVehicle(w, r, http.StatusOK, nil)
}

func (h *Handler) renderVehicle(w http.ResponseWriter, r *http.Request, status int, prepared *view) {
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	hist, err := h.cfg.Vehicles.VehicleHistory(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	veh := hist.Vehicle
	v := h.newView(r, "web.vehicle.title")
	if prepared != nil {
		v = *prepared
	} else {
		v.Form.Set("plate", veh.Plate)
		v.Form.Set("make", veh.Make)
		v.Form.Set("model", veh.Model)
		v.Form.Set("year", strconv.Itoa(veh.Year))
		v.Form.Set("color", veh.Color)
	}
	v.Nav = "customers"
	v.Title = strings.TrimSpace(veh.Plate + " · " + veh.Make + " " + veh.Model)
	p := vehiclePage{Vehicle: veh, History: hist}
	p.Owner, _ = h.cfg.Customers.GetCustomer(r.Context(), veh.CustomerID)
	if v.Can("vehicle.transfer") {
		p.Others = h.otherCustomers(r, veh.CustomerID)
	}
	v.Data = p
	h.render(w, r, status, "vehicle", v)
}

func (h *Handler) vehicleUpdate(w http.ResponseWriter, r *http.Request) {
	v, ok := h.postVehicleForm(w, r, "web.vehicle.title", func(id uuid.UUID, in vehicle.RegisterInput) (string, error) {
		patch := vehicle.Patch{Plate: &in.Plate, Make: &in.Make, Model: &in.Model, Year: &in.Year, Color: &in.Color}
		_, err := h.cfg.Vehicles.CorrectVehicle(r.Context(), vehicles.CorrectVehicleInput{VehicleID: id, Patch: patch})
		return withFlash(h.appPath(r, "/vehicles/", id.String()), "vehicle_saved"), err
	})
	if !ok {
		return
	}
	h.renderVehicle(w, r, http.StatusUnprocessableEntity, &v)
}

func (h *Handler) vehicleTransfer(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	var err error
	_ = r.ParseForm()
	_, err = h.cfg.Vehicles.TransferVehicle(r.Context(), vehicles.TransferVehicleInput{VehicleID: id, CustomerID: r.PostForm.Get("customer_id")})
	if err != nil {
		v := h.newView(r, "web.vehicle.title")
		if h.formErrors(r, &v, err) {
			h.renderVehicle(w, r, http.StatusUnprocessableEntity, &v)
			return
		}
		h.fail(w, r, err)
		return
	}
	redirect(w, r, withFlash(h.appPath(r, "/vehicles/", id.String()), "vehicle_transferred"))
}
