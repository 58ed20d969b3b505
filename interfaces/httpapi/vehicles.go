package httpapi

import (
	"net/http"
	"strings"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/vehicles"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/vehicle"
)

type vehicleRequest struct {
	Plate     string `json:"plate"`
	Make      string `json:"make"`
	Model     string `json:"model"`
	Year      int    `json:"year"`
	Color     string `json:"color"`
	MileageKm *int64 `json:"mileage_km"`
}

func (h *RecordsHandlers) addVehicle(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	var req vehicleRequest
	if err := DecodeJSON(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	v, err := h.Vehicles.AddVehicle(r.Context(), vehicles.AddVehicleInput{CustomerID: id, Vehicle: vehicle.RegisterInput{
		Plate: req.Plate, Make: req.Make, Model: req.Model, Year: req.Year, Color: req.Color, MileageKm: req.MileageKm}})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	base := r.URL.Path[:strings.Index(r.URL.Path, "/customers/")]
	w.Header().Set("Location", base+"/vehicles/"+v.ID.String())
	writeVersioned(w, http.StatusCreated, v.Version, toVehicleJSON(v))
}

func (h *RecordsHandlers) getVehicle(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	v, err := h.Vehicles.GetVehicle(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeVersioned(w, http.StatusOK, v.Version, toVehicleJSON(v))
}

func (h *RecordsHandlers) patchVehicle(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	var req struct {
		Plate Optional[string] `json:"plate"`
		Make  Optional[string] `json:"make"`
		Model Optional[string] `json:"model"`
		Year  Optional[int]    `json:"year"`
		Color Optional[string] `json:"color"`
	}
	exp, err := decodeUpdate(r, &req)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var c errs.Collector
	for name, o := range map[string]Optional[string]{"plate": req.Plate, "make": req.Make, "model": req.Model} {
		if o.Set && o.Null {
			c.Add(name, "required", name+" cannot be removed")
		}
	}
	if req.Year.Set && req.Year.Null {
		c.Add("year", "required", "year cannot be removed")
	}
	if err := c.Err(); err != nil {
		h.fail(w, r, err)
		return
	}
	patch := vehicle.Patch{Plate: req.Plate.Ptr(), Make: req.Make.Ptr(), Model: req.Model.Ptr(), Year: req.Year.Ptr(), Color: str(req.Color)}
	v, err := h.Vehicles.CorrectVehicle(r.Context(), vehicles.CorrectVehicleInput{VehicleID: id, Patch: patch, ExpectedVersion: exp})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeVersioned(w, http.StatusOK, v.Version, toVehicleJSON(v))
}

func (h *RecordsHandlers) vehicleHistory(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	vh, err := h.Vehicles.VehicleHistory(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	orders := []serviceOrderJSON{}
	for _, o := range vh.ServiceOrders {
		orders = append(orders, toOrderJSON(o))
	}
	WriteJSON(w, http.StatusOK, map[string]any{"vehicle": toVehicleJSON(vh.Vehicle), "items": orders,
		"service_orders": orders, "odometer_readings": toReadingsJSON(vh.Readings)})
}

func (h *RecordsHandlers) transferVehicle(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	var req struct {
		CustomerID string `json:"customer_id"`
	}
	exp, err := decodeUpdate(r, &req)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v, err := h.Vehicles.TransferVehicle(r.Context(), vehicles.TransferVehicleInput{VehicleID: id, CustomerID: req.CustomerID, ExpectedVersion: exp})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeVersioned(w, http.StatusOK, v.Version, toVehicleJSON(v))
}
