module github.com/bridgework/bridgework

go 1.26.8

require (
	github.com/expr-lang/expr v1.17.8
	github.com/itchyny/gojq v0.12.20
	github.com/robfig/cron/v3 v3.0.1
)

require github.com/itchyny/timefmt-go v0.1.9 // indirect
