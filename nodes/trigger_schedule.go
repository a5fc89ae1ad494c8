package nodes

import (
	"time"

	"github.com/bridgework/bridgework/engine"
	"github.com/robfig/cron/v3"
)

// TypeSchedule starts runs on a cron schedule or at a fixed interval.
const TypeSchedule = "trigger.schedule"

// MinScheduleInterval is the shortest interval a schedule may use.
const MinScheduleInterval = 10 * time.Second

var scheduleSpec = engine.NodeSpec{
	Type:        TypeSchedule,
	Title:       "Schedule",
	Category:    CategoryTrigger,
	Description: "Starts a run on a cron schedule or every interval (set exactly one), for polling syncs. The trigger payload is {\"scheduled_at\": RFC 3339 time}.",
	Config: object("", nil, map[string]*engine.Schema{
		"cron":     {Type: "string", Format: engine.FormatCron, Description: "Standard 5-field cron expression or descriptor such as @hourly, in UTC.", Examples: []any{"*/15 * * * *", "@daily"}},
		"interval": {Type: "string", Format: engine.FormatDuration, Description: "Fixed interval such as \"15m\" (at least 10s)."},
	}),
	Ports:   []string{engine.PortOut},
	Trigger: true,
	Examples: []engine.Example{
		example("Every 15 minutes", map[string]any{"cron": "*/15 * * * *"}),
		example("Every hour", map[string]any{"interval": "1h"}),
	},
}

// Schedule is a compiled trigger.schedule node.
type Schedule struct {
	passThrough
	schedule cron.Schedule
}

type scheduleConfig struct {
	Cron     string          `json:"cron"`
	Interval engine.Duration `json:"interval"`
}

func registerSchedule(r *engine.Registry) {
	r.Register(scheduleSpec, func(b *engine.Build) (engine.Node, error) {
		var c scheduleConfig
		if err := b.Decode(&c); err != nil {
			return nil, err
		}
		switch {
		case c.Cron != "" && c.Interval != 0:
			b.Errorf("config.cron", "set either cron or interval, not both")
		case c.Cron != "":
			s, err := cron.ParseStandard(c.Cron)
			if err != nil {
				b.Errorf("config.cron", "invalid cron expression: %v", err)
				return nil, nil
			}
			return &Schedule{schedule: s}, nil
		case c.Interval != 0:
			d := time.Duration(c.Interval)
			if d < MinScheduleInterval {
				b.Errorf("config.interval", "must be at least %s", MinScheduleInterval)
				return nil, nil
			}
			return &Schedule{schedule: cron.Every(d)}, nil
		default:
			b.Errorf("config.cron", "set cron or interval")
		}
		return nil, nil
	})
}

// Next returns the first activation time after t.
func (s *Schedule) Next(t time.Time) time.Time { return s.schedule.Next(t) }

// SchedulePayload is the trigger payload of a scheduled run.
func SchedulePayload(at time.Time) map[string]any {
	return map[string]any{"scheduled_at": at.UTC().Format(time.RFC3339)}
}
