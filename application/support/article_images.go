package support

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	_ "image/jpeg" // registers JPEG for image.DecodeConfig
	_ "image/png"  // registers PNG for image.DecodeConfig
	"regexp"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/domain/errs"
)

// Article image limits: the same as the workshop logo's.
const (
	MaxImageBytes  = 512 << 10
	MaxImagePixels = 2048
)

// Image is a stored article image.
type Image struct {
	ContentType string
	Data        []byte
	SHA256      string
}

// ImageStore keeps a workshop's files (tenant of ctx); the workshop asset
// store implements it.
type ImageStore interface {
	PutImage(ctx context.Context, name string, img Image) error
	// GetImage returns errs.ErrNotFound when there is none.
	GetImage(ctx context.Context, name string) (Image, error)
}

var imageName = regexp.MustCompile(`^article-[0-9a-f]{16}\.(png|jpg)$`)

// UploadArticleImage validates an image for an article (PNG or JPEG, at
// most 512 KiB and 2048 px a side, like the logo), stores it under a name
// derived from its content and returns its public URL, to be used in the
// Markdown as ![texto](url).
func (u *UseCases) UploadArticleImage(ctx context.Context, slug string, data []byte) (string, error) {
	if _, err := authz.Require(ctx, authz.ManageArticles); err != nil {
		return "", err
	}
	if u.d.Images == nil {
		return "", fmt.Errorf("article images: %w", errs.ErrNotFound)
	}
	if len(data) == 0 {
		return "", errs.Invalid("image", "required", "send a PNG or JPEG image")
	}
	if len(data) > MaxImageBytes {
		return "", errs.Invalid("image", "too_large", "the image must be at most 512 KiB")
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || (format != "png" && format != "jpeg") {
		return "", errs.Invalid("image", "invalid_format", "the image must be a PNG or JPEG image")
	}
	if cfg.Width > MaxImagePixels || cfg.Height > MaxImagePixels || cfg.Width < 1 || cfg.Height < 1 {
		return "", errs.Invalid("image", "out_of_range", "the image must be at most 2048 pixels a side")
	}
	sum := sha256.Sum256(data)
	hash := hex.EncodeToString(sum[:])
	ext := map[string]string{"png": "png", "jpeg": "jpg"}[format]
	name := "article-" + hash[:16] + "." + ext
	if err := u.d.Images.PutImage(ctx, name, Image{ContentType: "image/" + format, Data: data, SHA256: hash}); err != nil {
		return "", err
	}
	return "/assets/" + slug + "/" + name, nil
}

// ArticleImage returns an article image of the workshop slug (public: the
// help centre shows it).
func (u *UseCases) ArticleImage(ctx context.Context, slug, name string) (Image, error) {
	if u.d.Images == nil || u.d.Directory == nil || !imageName.MatchString(name) {
		return Image{}, errs.ErrNotFound
	}
	id, err := u.d.Directory.WorkshopIDBySlug(ctx, slug)
	if err != nil {
		return Image{}, err
	}
	return u.d.Images.GetImage(usecase.InOwnTenant(ctx, id), name)
}
