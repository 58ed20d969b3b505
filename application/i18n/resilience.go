package i18n

// Texts of the resilience and security hardening (issues 10 and 15), kept in
// their own file so parallel features do not collide in the big maps.
func init() {
	for k, v := range map[string]string{
		"problem.unavailable": "Serviço temporariamente indisponível; tente de novo em alguns segundos",
	} {
		ptBR[k] = v
	}
	for k, v := range map[string]string{
		"problem.unavailable": "Service temporarily unavailable; try again in a few seconds",
	} {
		en[k] = v
	}
}
