package tenancy

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

// Asset is a stored file.
type Asset struct {
	ContentType string
	Data        []byte
	SHA256      string
}

// AssetStore keeps a workshop's files (tenant of ctx).
type AssetStore interface {
	// Put stores (or replaces) the named asset.
	Put(ctx context.Context, name string, a Asset) error
	// Get returns errs.ErrNotFound when there is none.
	Get(ctx context.Context, name string) (Asset, error)
}

// Logo limits: a logo is shown small; anything bigger is a mistake.
const (
	MaxLogoBytes  = 512 << 10
	MaxLogoPixels = 2048
	logoAsset     = "logo"
)

// UploadLogo validates an image (PNG or JPEG, at most 512 KiB and 2048 px a
// side), stores it and points the workshop profile at it.
func (s *Service) UploadLogo(ctx context.Context, data []byte) (WorkshopView, error) {
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
	if err := s.d.Assets.Put(ctx, logoAsset, a); err != nil {
		return WorkshopView{}, err
	}
	ws, err := s.d.Registry.WorkshopByID(ctx, p.Tenant.UUID())
	if err != nil {
		return WorkshopView{}, err
	}
	// The hash in the URL lets browsers cache the logo forever.
	url := fmt.Sprintf("/assets/%s/logo?v=%s", ws.Slug, a.SHA256[:16])
	return s.UpdateProfile(ctx, workshop.ProfileInput{LogoURL: &url}, nil)
}

// Logo returns a workshop's logo, by slug (public: it brands the portal).
func (s *Service) Logo(ctx context.Context, slug string) (Asset, error) {
	ws, err := s.d.Registry.WorkshopBySlug(ctx, slug)
	if err != nil {
		return Asset{}, err
	}
	return s.d.Assets.Get(inTenant(ctx, ws.ID), logoAsset)
}
