package workshops

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	_ "image/jpeg" // registers JPEG for image.DecodeConfig
	_ "image/png"  // registers PNG for image.DecodeConfig

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/workshop"
)

// Logo limits: a logo is shown small; anything bigger is a mistake.
const (
	MaxLogoBytes  = 512 << 10
	MaxLogoPixels = 2048
	logoAsset     = "logo"
)

// UploadLogo validates an image (PNG or JPEG, at most 512 KiB and 2048 px a
// side), stores it and points the workshop profile at it.
func (u *UseCases) UploadLogo(ctx context.Context, data []byte) (WorkshopView, error) {
	p, err := authz.Require(ctx, authz.UpdateWorkshop)
	if err != nil {
		return WorkshopView{}, err
	}
	if len(data) == 0 {
		return WorkshopView{}, errs.Invalid("logo", "required", "send a PNG or JPEG image")
	}
	if len(data) > MaxLogoBytes {
		return WorkshopView{}, errs.Invalid("logo", "too_large", "the logo must be at most 512 KiB")
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || (format != "png" && format != "jpeg") {
		return WorkshopView{}, errs.Invalid("logo", "invalid_format", "the logo must be a PNG or JPEG image")
	}
	if cfg.Width > MaxLogoPixels || cfg.Height > MaxLogoPixels || cfg.Width < 1 || cfg.Height < 1 {
		return WorkshopView{}, errs.Invalid("logo", "out_of_range", "the logo must be at most 2048 pixels a side")
	}
	sum := sha256.Sum256(data)
	a := Asset{ContentType: "image/" + format, Data: data, SHA256: hex.EncodeToString(sum[:])}
	if err := u.d.Assets.Put(ctx, logoAsset, a); err != nil {
		return WorkshopView{}, err
	}
	ws, err := u.d.Directory.WorkshopByID(ctx, p.Tenant.UUID())
	if err != nil {
		return WorkshopView{}, err
	}
	// The hash in the URL lets browsers cache the logo forever.
	url := fmt.Sprintf("/assets/%s/logo?v=%s", ws.Slug, a.SHA256[:16])
	return u.UpdateProfile(ctx, workshop.ProfileInput{LogoURL: &url}, nil)
}
