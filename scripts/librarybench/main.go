// Command librarybench fills a database with the demo and N fictitious
// practices of the library (accepted and released, on the editions of the
// Rencontres franco-japonaises, by the demo's authorities), for the
// library's load benchmark (scripts/bench.sh with LIBRARY=1). Their texts
// are sentences of the seeds' themes in French and Japanese, drawn at
// random with a fixed seed, so that every run holds the same library.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"time"

	"github.com/rencontres/rencontres/internal/demo"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
)

// sentences are pairs of a French sentence and its Japanese.
var sentences = [][2]string{
	{"La ville rénove ses écoles pour économiser l’énergie.", "市は省エネのために学校を改修している。"},
	{"Les habitants plantent une forêt urbaine.", "市民が都市の森を植えている。"},
	{"Un marché de producteurs locaux ouvre chaque samedi.", "毎週土曜日に地元生産者のマルシェが開かれる。"},
	{"Les bus à plancher bas facilitent les déplacements des personnes âgées.", "ノンステップバスが高齢者の移動を助けている。"},
	{"Des jeunes volontaires accueillent les visiteurs étrangers.", "若いボランティアが外国からの訪問者を迎えている。"},
	{"La coopération avec la ville jumelle porte sur la gestion des crises.", "姉妹都市との協力は危機管理に取り組んでいる。"},
	{"Une monnaie locale numérique soutient le commerce du centre-ville.", "デジタル地域通貨が中心市街地の商業を支えている。"},
	{"Les cantines servent des produits de l’agriculture biologique.", "学校給食では有機農産物を使っている。"},
	{"Le musée propose des visites en japonais et en français.", "美術館は日本語とフランス語の案内を行っている。"},
	{"Les déchets alimentaires deviennent du biogaz.", "食品廃棄物をバイオガスに変えている。"},
	{"Un festival réunit les artisans des deux pays.", "両国の職人が集う祭りが開かれている。"},
	{"Les entreprises locales exportent leur savoir-faire.", "地元企業がその技術を海外に展開している。"},
	{"La rivière est restaurée pour accueillir les poissons.", "魚が戻るように川を再生している。"},
	{"Les panneaux solaires couvrent les toits des bâtiments publics.", "公共施設の屋根に太陽光パネルを設置している。"},
	{"Les lycéens échangent chaque année avec leurs camarades japonais.", "高校生が毎年日本の生徒と交流している。"},
	{"La ville accompagne les personnes en situation de handicap.", "市は障害のある人を支援している。"},
	{"Le tourisme durable valorise les paysages ruraux.", "持続可能な観光が農村の景観を生かしている。"},
	{"Les seniors isolés retrouvent leurs voisins dans un café.", "孤立した高齢者がカフェで近所の人と再会している。"},
	{"Une plateforme numérique simplifie les démarches administratives.", "デジタル窓口が行政手続きを簡素化している。"},
	{"Les vignerons et les brasseurs de saké partagent leurs techniques.", "ワイン生産者と酒蔵が技術を共有している。"},
}

var titles = [][2]string{
	{"Rénovation énergétique", "省エネ改修"}, {"Forêt urbaine", "都市の森"}, {"Circuits courts", "地産地消"},
	{"Mobilité pour tous", "誰もが使える交通"}, {"Jeunesse et international", "若者と国際交流"}, {"Gestion des crises", "危機管理"},
	{"Commerce de centre-ville", "中心市街地の商業"}, {"Restauration scolaire", "学校給食"}, {"Culture partagée", "文化の共有"},
	{"Économie circulaire", "循環型経済"}, {"Artisanat", "伝統工芸"}, {"Tourisme durable", "持続可能な観光"},
	{"Biodiversité", "生物多様性"}, {"Inclusion", "共生社会"}, {"Administration numérique", "デジタル行政"},
}

func main() {
	dbURL := flag.String("db", "", "database URL (postgres://…); empty for SQLite in -data")
	data := flag.String("data", "", "data folder (SQLite)")
	n := flag.Int("n", 20000, "practices to add")
	flag.Parse()
	ctx := context.Background()
	st, err := store.Open(ctx, *dbURL, *data)
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		log.Fatal(err)
	}
	if _, err := demo.Load(ctx, st); err != nil {
		log.Fatal(err)
	}
	d, err := demo.Parse()
	if err != nil {
		log.Fatal(err)
	}
	var orgs []string
	for _, o := range d.Organisations {
		if o.Kind != rencontres.Institution {
			orgs = append(orgs, o.Key)
		}
	}
	type edition struct {
		id        int64
		year      int
		workshops int
	}
	var eds []edition
	for i := 1; i <= 9; i++ {
		e, err := st.Edition(ctx, "rencontres-franco-japonaises", i)
		if err != nil {
			log.Fatal(err)
		}
		eds = append(eds, edition{e.ID, e.Year, len(e.Workshops)})
	}
	rnd := rand.New(rand.NewPCG(15, 31))
	start := time.Now()
	const perCall = 500
	for done := 0; done < *n; done += perCall {
		e := eds[rnd.IntN(len(eds))]
		released := time.Date(e.year, 7, 1, 8, 0, 0, 0, time.UTC).Add(time.Duration(done) * time.Second)
		call := &rencontres.Call{EventID: e.id, Kind: rencontres.CallPractice, Title: rencontres.Text{"fr": "Appel à bonnes pratiques"},
			Opens: released.AddDate(0, -4, 0), Deadline: released.AddDate(0, -2, 0), Released: &released}
		var ps []*store.SeededPractice
		for i := 0; i < min(perCall, *n-done); i++ {
			t := titles[rnd.IntN(len(titles))]
			var fr, ja string
			for range 2 + rnd.IntN(3) {
				s := sentences[rnd.IntN(len(sentences))]
				fr += s[0] + " "
				ja += s[1]
			}
			lead, partner := orgs[rnd.IntN(len(orgs))], orgs[rnd.IntN(len(orgs))]
			p := rencontres.Proposal{Title: rencontres.Text{"fr": t[0] + " n° " + fmt.Sprint(done+i+1), "ja": t[1] + "（" + fmt.Sprint(done+i+1) + "）"},
				Summary: rencontres.Text{"fr": fr, "ja": ja}, SDGs: []int{1 + rnd.IntN(17), 1 + rnd.IntN(17)}, Decision: rencontres.Accepted,
				Released: &released, Orgs: []rencontres.ProposalOrg{{Key: lead, Role: rencontres.LeadProposer}}}
			if partner != lead {
				p.Orgs = append(p.Orgs, rencontres.ProposalOrg{Key: partner, Role: rencontres.PartnerOrg})
			}
			w := 0
			if e.workshops > 0 {
				w = 1 + rnd.IntN(e.workshops)
			}
			ps = append(ps, &store.SeededPractice{Proposal: p, Workshop: w})
		}
		if err := st.SeedPractices(ctx, call, ps); err != nil {
			log.Fatal(err)
		}
	}
	if err := st.Optimize(ctx); err != nil {
		log.Fatal(err)
	}
	log.Printf("%d practices added in %v", *n, time.Since(start).Round(time.Millisecond))
}
