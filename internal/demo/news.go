package demo

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"strconv"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// NewsPost is a published news post, attached to events named as
// "series/number" (an edition) or by a meeting's key, and to authorities.
type NewsPost struct {
	Title         rencontres.Text `json:"title"`
	Body          rencontres.Text `json:"body"`
	Events        []string        `json:"events"`
	Organisations []string        `json:"organisations"`
	Published     time.Time       `json:"published"`
	Photos        []*NewsPhoto    `json:"photos"`
}

// NewsPhoto is a photo of a demo post: no real photograph is shipped, an
// image is drawn when the demo loads (People figures standing, and the
// word « Photo »), with the texts the real one would have.
type NewsPhoto struct {
	Caption rencontres.Text `json:"caption"`
	Alt     rencontres.Text `json:"alt"`
	Credit  string          `json:"credit"`
	People  int             `json:"people"`
}

// loadNews stores the demo's posts, published, with their drawn photos.
func loadNews(ctx context.Context, st *store.Store, posts []*NewsPost, editions, meetings map[string]int64) error {
	for _, n := range posts {
		var events []int64
		for _, ref := range n.Events {
			id, ok := editions[ref]
			if !ok {
				id, ok = meetings[ref]
			}
			if !ok {
				return fmt.Errorf("news: no edition or meeting %q", ref)
			}
			events = append(events, id)
		}
		p := &rencontres.NewsPost{Title: n.Title, Body: n.Body, OrgKeys: n.Organisations}
		if err := st.SaveNewsPost(ctx, p, events, 0); err != nil {
			return fmt.Errorf("news %q: %w", n.Title[rencontres.French], err)
		}
		for i, ph := range n.Photos {
			data, err := Placeholder(1200, 800, ph.People)
			if err != nil {
				return err
			}
			photo := &rencontres.NewsPhoto{PostID: p.ID, Caption: ph.Caption, Alt: ph.Alt, Credit: ph.Credit}
			if err := st.AddNewsPhoto(ctx, photo, "demo-"+strconv.Itoa(i+1)+".jpg", "image/jpeg", data, 0); err != nil {
				return fmt.Errorf("news %q, photo %d: %w", n.Title[rencontres.French], i+1, err)
			}
		}
		if _, err := st.PublishNewsPost(ctx, p.ID, true, n.Published); err != nil {
			return err
		}
	}
	return nil
}

// Placeholder draws a w × h JPEG that stands in for a photo: a sky, the
// front of a building, people as coloured figures in a row, and the word
// « Photo » in the middle, so that nobody takes it for a real one.
func Placeholder(w, h, people int) ([]byte, error) {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		// A sky from blue to pale, then the paving.
		c := color.RGBA{uint8(120 + 100*y/h), uint8(170 + 60*y/h), 230, 255}
		if y > h*3/4 {
			c = color.RGBA{200, 190, 170, 255}
		}
		draw.Draw(img, image.Rect(0, y, w, y+1), image.NewUniform(c), image.Point{}, draw.Src)
	}
	// The building's front and its windows.
	draw.Draw(img, image.Rect(w/10, h/6, w*9/10, h*3/4), image.NewUniform(color.RGBA{235, 215, 170, 255}), image.Point{}, draw.Src)
	for x := w/10 + w/20; x+w/20 < w*9/10; x += w / 8 {
		draw.Draw(img, image.Rect(x, h/4, x+w/20, h*2/5), image.NewUniform(color.RGBA{90, 110, 140, 255}), image.Point{}, draw.Src)
	}
	colours := []color.RGBA{{40, 60, 120, 255}, {150, 40, 60, 255}, {30, 30, 30, 255}, {60, 110, 70, 255}, {110, 80, 140, 255}, {160, 110, 40, 255}}
	people = max(1, people)
	for i := range people {
		cx := w*(i+1)/(people+1) - w/40
		c := colours[i%len(colours)]
		// A body and a head.
		draw.Draw(img, image.Rect(cx, h/2, cx+w/20, h*7/8), image.NewUniform(c), image.Point{}, draw.Src)
		r := w / 50
		for dy := -r; dy <= r; dy++ {
			for dx := -r; dx <= r; dx++ {
				if dx*dx+dy*dy <= r*r {
					img.Set(cx+w/40+dx, h/2-r+dy, color.RGBA{225, 190, 160, 255})
				}
			}
		}
	}
	// The word, drawn small in a fixed font and enlarged.
	const word = "Photo"
	face := basicfont.Face7x13
	small := image.NewRGBA(image.Rect(0, 0, 7*len(word)+4, 17))
	draw.Draw(small, small.Bounds(), image.NewUniform(color.RGBA{255, 255, 255, 220}), image.Point{}, draw.Src)
	d := font.Drawer{Dst: small, Src: image.NewUniform(color.RGBA{20, 20, 20, 255}), Face: face, Dot: fixed.P(2, 13)}
	d.DrawString(word)
	scale := w / 3 / small.Bounds().Dx()
	tw, th := small.Bounds().Dx()*scale, small.Bounds().Dy()*scale
	at := image.Rect((w-tw)/2, h/12, (w+tw)/2, h/12+th)
	draw.NearestNeighbor.Scale(img, at, small, small.Bounds(), draw.Over, nil)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		return nil, err
	}
	if !strings.HasPrefix(buf.String(), "\xff\xd8") {
		return nil, fmt.Errorf("placeholder: not a JPEG")
	}
	return buf.Bytes(), nil
}
