package support

// Subscribe opens the live feed of the chatter; the caller reads the
// backlog with MessagesAfter after subscribing, so nothing falls between.
func (u *UseCases) Subscribe(c Chatter) *ChatSubscription {
	return u.chat.Hub.subscribe(c.tenant, c.customers())
}
