package ory

import (
	"encoding/json"
	"testing"
)

// The TOTP group of a settings flow (Kratos v1.3.1's JSON: an image node, a
// text node, an input) and a login flow's refresh / requested_aal /
// return_to reach the page.
func TestKratosFlow_readsSecondFactorNodes(t *testing.T) {
	raw := `{"id":"f","state":"show_form","refresh":true,"requested_aal":"aal2","return_to":"http://127.0.0.1:8080/app/x/",
	"ui":{"action":"http://k/self-service/settings?flow=f","method":"POST","messages":[],"nodes":[
	{"type":"img","group":"totp","attributes":{"src":"data:image/png;base64,AAAA","id":"totp_qr","width":256,"height":256,"node_type":"img"},"messages":[]},
	{"type":"text","group":"totp","attributes":{"text":{"id":1050006,"text":"XYYO37ESKN7X4OU4","type":"info","context":{"secret":"XYYO37ESKN7X4OU4"}},"id":"totp_secret_key","node_type":"text"},"messages":[]},
	{"type":"input","group":"totp","attributes":{"name":"totp_code","type":"text","required":true,"node_type":"input"},"messages":[]},
	{"type":"input","group":"totp","attributes":{"name":"totp_unlink","type":"submit","value":true,"node_type":"input"},"messages":[]}]}}`
	var kf kratosFlow
	if err := json.Unmarshal([]byte(raw), &kf); err != nil {
		t.Fatal(err)
	}
	f := kf.toFlow()
	if !f.Refresh || f.RequestedAAL != "aal2" || f.ReturnTo != "http://127.0.0.1:8080/app/x/" {
		t.Errorf("flow: %+v", f)
	}
	if n, ok := f.Node("totp_qr"); !ok || n.Src != "data:image/png;base64,AAAA" {
		t.Errorf("qr: %+v", n)
	}
	if n, ok := f.Node("totp_secret_key"); !ok || n.Text != "XYYO37ESKN7X4OU4" {
		t.Errorf("secret: %+v", n)
	}
	if !f.HasInput("totp_code") {
		t.Error("no totp_code input")
	}
}
