"""The web portal: server-rendered GOV.UK Frontend pages over the other services' REST APIs."""
