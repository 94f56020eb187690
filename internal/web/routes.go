package web

import (
	"net/http"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// Route is one route of the site and the permission it requires. The list
// is what the permission test walks.
type Route struct {
	Method, Pattern string
	Perm            rencontres.Permission
}

// Routes lists every route Register adds.
func (s *Site) Routes() []Route { return s.routes }

// Register adds every route of the site to mux. Pages live under a language
// prefix (/fr/, /ja/, /en/); the bare root redirects to the reader's
// language; any other path gets a 404 page in the reader's language.
func (s *Site) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", s.redirectToLanguage)
	mux.Handle("GET /static/", http.StripPrefix("/static/", staticHandler()))
	mux.HandleFunc("GET /static/letter.css", letterStylesheet)
	mux.HandleFunc("/", s.notFoundUnknownLang)
	// A news photo's files: the same bytes in every language.
	mux.HandleFunc("GET /photos/{photo}/{file}", s.newsPhoto)

	for _, l := range rencontres.Langs {
		p := "/" + string(l)
		mux.HandleFunc("GET "+p, redirectTo(p+"/"))
		mux.HandleFunc("GET "+p+"/text-size", s.setTextSize(l))
		route := func(method, path string, perm rencontres.Permission, h handlerFunc) {
			s.routes = append(s.routes, Route{method, p + path, perm})
			mux.HandleFunc(method+" "+p+path, s.page(l, perm, h))
		}
		// The public archive and directory.
		route("GET", "/{$}", rencontres.ReadPublic, s.home)
		route("GET", "/series/{series}", rencontres.ReadPublic, s.archive)
		route("GET", "/series/{series}/{number}", rencontres.ReadPublic, s.edition)
		route("GET", "/series/{series}/{number}/statistics", rencontres.ReadPublic, s.editionStatistics)
		route("GET", "/statistics", rencontres.ReadPublic, s.statistics)
		route("GET", "/organisations", rencontres.ReadPublic, s.organisations)
		route("GET", "/organisations/{key}", rencontres.ReadPublic, s.organisation)
		route("GET", "/accessibility", rencontres.ReadPublic, s.accessibility)
		// News: the public list, its Atom feed and each post; the
		// secretariat writes, publishes and illustrates them.
		route("GET", "/news", rencontres.ReadPublic, s.newsList)
		route("GET", "/news.atom", rencontres.ReadPublic, s.newsFeed)
		route("GET", "/news/{post}", rencontres.ReadPublic, s.newsPost)
		// The review of the calls' proposals: a reviewer's proposals and
		// their review; the secretariat's dashboard and assignments, the
		// decisions, the letters and the release.
		route("GET", "/reviews", rencontres.ReviewProposals, s.reviewList)
		route("GET", "/reviews/{proposal}", rencontres.ReviewProposals, s.reviewForm)
		route("POST", "/reviews/{proposal}", rencontres.ReviewProposals, s.saveReviewForm)
		route("POST", "/reviews/{proposal}/conflict", rencontres.ReviewProposals, s.declareConflictForm)
		route("GET", "/manage/calls/{call}/review", rencontres.ManageCalls, s.reviewManage)
		route("POST", "/manage/calls/{call}/assign", rencontres.ManageCalls, s.spreadForm)
		route("POST", "/manage/proposals/{proposal}/reviewers", rencontres.ManageCalls, s.assignForm)
		route("GET", "/manage/proposals/{proposal}/decision", rencontres.ManageCalls, s.decisionForm)
		route("POST", "/manage/proposals/{proposal}/decision", rencontres.ManageCalls, s.saveDecisionForm)
		route("GET", "/manage/calls/{call}/release", rencontres.ManageCalls, s.releasePage)
		route("POST", "/manage/calls/{call}/letters", rencontres.ManageCalls, s.saveLettersForm)
		route("POST", "/manage/calls/{call}/release", rencontres.ManageCalls, s.releaseForm)
		// Webhooks: the endpoints that hear the product's events.
		route("GET", "/manage/webhooks", rencontres.ManageWebhooks, s.manageWebhooks)
		route("POST", "/manage/webhooks", rencontres.ManageWebhooks, s.createWebhook)
		route("GET", "/manage/webhooks/{webhook}", rencontres.ManageWebhooks, s.showWebhook)
		route("POST", "/manage/webhooks/{webhook}", rencontres.ManageWebhooks, s.updateWebhook)
		route("POST", "/manage/webhooks/{webhook}/rotate", rencontres.ManageWebhooks, s.rotateWebhook)
		route("POST", "/manage/webhooks/{webhook}/delete", rencontres.ManageWebhooks, s.deleteWebhook)
		route("POST", "/manage/webhooks/{webhook}/deliveries/{delivery}/resend", rencontres.ManageWebhooks, s.resendWebhook)
		route("GET", "/manage/news", rencontres.ManageNews, s.manageNews)
		route("GET", "/manage/news/new", rencontres.ManageNews, s.newNewsPost)
		route("POST", "/manage/news", rencontres.ManageNews, s.createNewsPost)
		route("GET", "/manage/news/{post}/edit", rencontres.ManageNews, s.editNewsPost)
		route("POST", "/manage/news/{post}", rencontres.ManageNews, s.updateNewsPost)
		route("POST", "/manage/news/{post}/publish", rencontres.ManageNews, s.publishNewsPost(true))
		route("POST", "/manage/news/{post}/unpublish", rencontres.ManageNews, s.publishNewsPost(false))
		route("POST", "/manage/news/{post}/delete", rencontres.ManageNews, s.deleteNewsPost)
		route("POST", "/manage/news/{post}/photos", rencontres.ManageNews, s.uploadNewsPhoto)
		route("POST", "/manage/news/{post}/photos/{photo}", rencontres.ManageNews, s.updateNewsPhoto)
		route("POST", "/manage/news/{post}/photos/{photo}/delete", rencontres.ManageNews, s.deleteNewsPhoto)
		// The library of good practices: the accepted proposals of every
		// edition, public once their decisions are released.
		route("GET", "/practices", rencontres.ReadPublic, s.practices)
		route("GET", "/practices.atom", rencontres.ReadPublic, s.practicesFeed)
		route("GET", "/practices/{practice}", rencontres.ReadPublic, s.practice)
		route("GET", "/practices/{practice}/documents/{document}", rencontres.ReadPublic, s.practiceDocument)
		// Signing in and out.
		route("GET", "/login", rencontres.SignIn, s.loginForm)
		route("POST", "/login", rencontres.SignIn, s.loginPassword)
		route("POST", "/login/link", rencontres.SignIn, s.requestLink)
		route("GET", "/login/link/{token}", rencontres.SignIn, s.linkLanding)
		route("POST", "/login/link/{token}", rencontres.SignIn, s.useLink)
		route("POST", "/logout", rencontres.UseAccount, s.logout)
		// A campaign's personal link: the token is the credential.
		route("GET", "/invitation/{token}", rencontres.SignIn, s.invitation)
		route("POST", "/invitation/{token}", rencontres.SignIn, s.answerInvitation)
		// One's own account.
		route("GET", "/account", rencontres.UseAccount, s.account)
		route("POST", "/account", rencontres.UseAccount, s.saveProfile)
		route("POST", "/account/password", rencontres.SetPassword, s.savePassword)
		route("POST", "/account/tokens", rencontres.UseAccount, s.createToken)
		route("POST", "/account/tokens/{id}/revoke", rencontres.UseAccount, s.revokeToken)
		route("GET", "/account/data.json", rencontres.UseAccount, s.personalData)
		route("POST", "/account/erase", rencontres.UseAccount, s.requestErasure)
		// A registered person's own page of an event and their personal
		// feed, whose secret address is the credential (participant.go).
		route("GET", "/me/events/{event}", rencontres.UseAccount, s.myEvent)
		route("POST", "/me/events/{event}/feed", rencontres.UseAccount, s.renewFeed)
		route("POST", "/me/events/{event}/feed/revoke", rencontres.UseAccount, s.revokeFeed)
		route("GET", "/feeds/{token}/calendar.ics", rencontres.ReadPublic, s.personalFeed)
		// An organisation's private page: its own contacts and the
		// secretariat.
		route("GET", "/manage/organisations/{key}", rencontres.ReadOrganisation, s.manageOrganisation)
		// Its contacts: kept by the secretariat, and by the organisation's
		// own contacts for a colleague; moving one elsewhere is the
		// secretariat's. None of these emails anyone but the invitation.
		route("POST", "/manage/organisations/{key}/contacts", rencontres.ManageContacts, s.saveContact)
		route("POST", "/manage/organisations/{key}/contacts/{id}", rencontres.ManageContacts, s.saveContact)
		route("POST", "/manage/organisations/{key}/contacts/{id}/remove", rencontres.ManageContacts, s.removeContact)
		route("POST", "/manage/organisations/{key}/contacts/{id}/move", rencontres.ManagePeople, s.moveContact)
		route("POST", "/manage/organisations/{key}/contacts/{id}/invitation", rencontres.ManageContacts, s.inviteContact)
		// The secretariat keeps the directory: new organisations, edits
		// that re-imports keep, merges of two records of one authority.
		route("GET", "/manage/organisations/new", rencontres.ManageDirectory, s.newOrganisation)
		route("POST", "/manage/organisations", rencontres.ManageDirectory, s.createOrganisation)
		route("GET", "/manage/organisations/{key}/edit", rencontres.ManageDirectory, s.editOrganisation)
		route("POST", "/manage/organisations/{key}", rencontres.ManageDirectory, s.updateOrganisation)
		route("POST", "/manage/organisations/{key}/revert", rencontres.ManageDirectory, s.revertOrganisationField)
		route("GET", "/manage/organisations/{key}/merge", rencontres.ManageDirectory, s.mergeForm)
		route("POST", "/manage/organisations/{key}/merge", rencontres.ManageDirectory, s.mergeOrganisations)
		// Partnerships: the public list; the secretariat creates, edits and
		// ends them; an authority's contacts keep its état des lieux.
		route("GET", "/partnerships", rencontres.ReadPublic, s.partnerships)
		route("GET", "/map", rencontres.ReadPublic, s.twinmap)
		route("GET", "/partnerships/{partnership}/agreement", rencontres.ReadPublic, s.partnershipAgreement)
		route("GET", "/manage/partnerships/new", rencontres.ManagePartnerships, s.newPartnership)
		route("POST", "/manage/partnerships", rencontres.ManagePartnerships, s.createPartnership)
		route("GET", "/manage/partnerships/survey", rencontres.ManagePartnerships, s.partnershipSurvey)
		route("GET", "/manage/partnerships/{partnership}/edit", rencontres.ManagePartnerships, s.editPartnership)
		route("POST", "/manage/partnerships/{partnership}", rencontres.ManagePartnerships, s.updatePartnership)
		route("POST", "/manage/partnerships/{partnership}/end", rencontres.ManagePartnerships, s.endPartnership)
		route("POST", "/manage/partnerships/{partnership}/agreement", rencontres.ManagePartnerships, s.uploadAgreement)
		route("POST", "/manage/partnerships/reports/{report}/review", rencontres.ManagePartnerships, s.reviewReport)
		route("GET", "/manage/organisations/{key}/partnerships", rencontres.ReportPartnerships, s.orgPartnerships)
		route("POST", "/manage/organisations/{key}/partnerships/{partnership}/report", rencontres.ReportPartnerships, s.reportPartnership)
		// An authority's cooperation profile and the partners suggested
		// to it: the secretariat's for any, a contact's for its own.
		route("GET", "/manage/organisations/{key}/cooperation", rencontres.EditCooperation, s.cooperationForm)
		route("POST", "/manage/organisations/{key}/cooperation", rencontres.EditCooperation, s.saveCooperation)
		route("GET", "/manage/organisations/{key}/suggestions", rencontres.EditCooperation, s.suggestions)
		// A steering committee's page: its members and the secretariat.
		route("GET", "/committees/{committee}", rencontres.ReadCommittee, s.committee)
		// Events: the secretariat creates, edits, moves and cancels them;
		// a committee's members see its meetings.
		// Series: the secretariat creates them, the first step on an
		// empty product.
		route("GET", "/manage/series", rencontres.ManageEvents, s.seriesList)
		route("GET", "/manage/series/new", rencontres.ManageEvents, s.newSeries)
		route("POST", "/manage/series", rencontres.ManageEvents, s.createSeries)
		route("GET", "/manage/series/{series}/edit", rencontres.ManageEvents, s.editSeries)
		route("POST", "/manage/series/{series}", rencontres.ManageEvents, s.updateSeries)
		route("GET", "/manage/events", rencontres.ManageEvents, s.eventsList)
		route("GET", "/manage/events/new", rencontres.ManageEvents, s.newEvent)
		route("POST", "/manage/events", rencontres.ManageEvents, s.createEvent)
		route("GET", "/events/{event}", rencontres.ReadPublic, s.eventPage)
		route("GET", "/events/{event}/edit", rencontres.ManageEvents, s.editEvent)
		route("POST", "/events/{event}", rencontres.ManageEvents, s.updateEvent)
		route("POST", "/events/{event}/cancel", rencontres.ManageEvents, s.cancelEvent)
		route("POST", "/events/{event}/agenda", rencontres.ManageEvents, s.addAgendaItem)
		route("POST", "/events/{event}/agenda/{item}/up", rencontres.ManageEvents, s.moveAgendaItem(-1))
		route("POST", "/events/{event}/agenda/{item}/down", rencontres.ManageEvents, s.moveAgendaItem(+1))
		route("POST", "/events/{event}/agenda/{item}/delete", rencontres.ManageEvents, s.deleteAgendaItem)
		route("POST", "/events/{event}/minutes", rencontres.ManageEvents, s.saveMinutes)
		route("POST", "/events/{event}/decisions", rencontres.ManageEvents, s.addDecision)
		route("POST", "/events/{event}/decisions/{decision}", rencontres.ManageEvents, s.followDecision)
		route("POST", "/events/{event}/documents", rencontres.ManageEvents, s.uploadDocument)
		route("POST", "/events/{event}/documents/{document}/delete", rencontres.ManageEvents, s.deleteDocument)
		route("GET", "/documents/{document}", rencontres.ReadPublic, s.document)
		route("POST", "/events/{event}/committees", rencontres.ManageEvents, s.addCommittee)
		route("POST", "/committees/{committee}/members", rencontres.ManageEvents, s.addSeat)
		route("POST", "/committees/{committee}/members/{member}/delete", rencontres.ManageEvents, s.deleteSeat)
		// The programme: built in the timetable, then published.
		route("GET", "/events/{event}/timetable", rencontres.ManageEvents, s.timetable)
		route("POST", "/events/{event}/rooms", rencontres.ManageEvents, s.addRoom)
		route("POST", "/events/{event}/sessions", rencontres.ManageEvents, s.saveSession)
		route("POST", "/events/{event}/sessions/{session}/delete", rencontres.ManageEvents, s.deleteSession)
		route("POST", "/events/{event}/publish", rencontres.ManageEvents, s.publishProgramme)
		route("GET", "/events/{event}/programme", rencontres.ReadPublic, s.programme(false))
		route("GET", "/events/{event}/programme/print", rencontres.ReadPublic, s.programme(true))
		route("GET", "/events/{event}/calendar.ics", rencontres.ReadPublic, s.programmeCalendar)
		route("GET", "/events/{event}/sessions/{session}/calendar.ics", rencontres.ReadPublic, s.sessionCalendar)
		// Registration: the secretariat opens it and follows it; an
		// authority's contact registers its delegation.
		route("GET", "/events/{event}/registration", rencontres.ManageEvents, s.registrationSettings)
		route("POST", "/events/{event}/registration", rencontres.ManageEvents, s.saveRegistrationSettings)
		route("GET", "/events/{event}/registrations", rencontres.ManageEvents, s.registrations)
		route("GET", "/events/{event}/delegation", rencontres.ManageRegistrations, s.delegation)
		route("POST", "/events/{event}/delegation", rencontres.ManageRegistrations, s.saveDelegate)
		route("POST", "/events/{event}/delegation/{registration}/withdraw", rencontres.ManageRegistrations, s.withdrawDelegate)
		route("GET", "/events/{event}/badges.pdf", rencontres.ManageEvents, s.badges)
		route("GET", "/events/{event}/attendance", rencontres.ManageEvents, s.allAttendance)
		route("GET", "/events/{event}/signin-sheet", rencontres.ManageEvents, s.signInSheet)
		route("GET", "/events/{event}/signin-sheet.pdf", rencontres.ManageEvents, s.signInSheetPDF)
		route("GET", "/events/{event}/sessions/{session}/attendance", rencontres.ManageEvents, s.sessionAttendance)
		route("GET", "/events/{event}/checkin", rencontres.ManageEvents, s.checkIn)
		route("POST", "/events/{event}/checkin", rencontres.ManageEvents, s.markPresent)
		// Campaigns: a letter written once per language, sent to contacts
		// chosen from the directory, followed per recipient.
		route("GET", "/manage/campaigns", rencontres.ManageEvents, s.campaignsList)
		route("POST", "/manage/campaigns", rencontres.ManageEvents, s.createCampaign)
		route("GET", "/campaigns/{campaign}", rencontres.ManageEvents, s.showCampaign)
		route("POST", "/campaigns/{campaign}", rencontres.ManageEvents, s.saveCampaign)
		route("POST", "/campaigns/{campaign}/preview", rencontres.ManageEvents, s.previewCampaign)
		route("POST", "/campaigns/{campaign}/send", rencontres.ManageEvents, s.sendCampaign)
		route("POST", "/campaigns/{campaign}/cancel", rencontres.ManageEvents, s.cancelCampaign)
		// Administration.
		route("GET", "/admin/people", rencontres.ManagePeople, s.people)
		route("POST", "/admin/people", rencontres.ManagePeople, s.invitePerson)
		route("POST", "/admin/people/{id}/organisations", rencontres.ManagePeople, s.bindOrganisation)
		route("POST", "/admin/people/{id}/committees", rencontres.ManagePeople, s.bindCommittee)
		route("POST", "/admin/people/{id}/disable", rencontres.ManagePeople, s.disablePerson)
		route("POST", "/admin/people/{id}/invitation", rencontres.ManagePeople, s.resendInvitation)
		route("POST", "/admin/people/{id}/erase", rencontres.ManagePeople, s.erasePerson)
		route("GET", "/admin/audit", rencontres.ReadAudit, s.auditLog)
		// Importing a contact list: upload, preview (mapping and choices
		// corrected, the file kept on the server), confirm.
		route("GET", "/manage/import", rencontres.ManagePeople, s.importForm)
		route("POST", "/manage/import", rencontres.ManagePeople, s.importUpload)
		route("GET", "/manage/import/{id}", rencontres.ManagePeople, s.importPreview)
		route("POST", "/manage/import/{id}", rencontres.ManagePeople, s.importPreview)
		// Calls for good practices and their proposals (calls.go).
		s.registerCalls(route)
		// The declaration's adoption and its published text (declaration_adopt.go).
		s.registerDeclarationAdoption(route)
		s.registerDeclarationAmendments(route)
		// The final declaration's draft (declaration_draft.go).
		s.registerDeclarationDraft(route)
		// One-to-one meetings at an edition (onetoone.go).
		s.registerMeetings(route)
	}
}

func redirectTo(path string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, path, http.StatusMovedPermanently)
	}
}
