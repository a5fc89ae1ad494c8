package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/bridgework/bridgework/internal/app"
	"github.com/bridgework/bridgework/internal/demo"
	"github.com/bridgework/bridgework/sandbox"
)

// demoFlags are serve's demo-mode flags.
type demoFlags struct {
	enabled           *bool
	heartland, epicor *string
}

func addDemoFlags(fs *flag.FlagSet) demoFlags {
	return demoFlags{
		enabled:   fs.Bool("demo", false, "also start both sandboxes and prepare the demo tenant with every template installed"),
		heartland: fs.String("heartland-listen", sandbox.DefaultHeartlandListen, "demo: address of the Heartland sandbox (:0 picks a free port)"),
		epicor:    fs.String("epicor-listen", sandbox.DefaultEpicorListen, "demo: address of the Epicor sandbox"),
	}
}

// startDemo starts the sandboxes in-process, prepares the demo tenant (whose
// outbound allow-list names the sandboxes' addresses) and prints how to use
// it. The sandboxes stop when ctx ends.
func startDemo(ctx context.Context, a *app.App, f demoFlags, logger *slog.Logger, stdout io.Writer) (*sandbox.Running, error) {
	sb, err := sandbox.Start(ctx, sandbox.Options{HeartlandListen: *f.heartland, EpicorListen: *f.epicor, Seed: 1, Logger: logger})
	if err != nil {
		return nil, err
	}
	res, err := demo.Setup(ctx, a.Store, a.Server, sb)
	if err != nil {
		sb.Close()
		return nil, err
	}
	base := a.Config.PublicURL
	flows := 0
	for _, fl := range res.Flows {
		flows += len(fl)
	}
	fmt.Fprintf(stdout, `Bridgework demo is running.

  Bridgework         %s   (tenant %q, %d flows from %d templates)
  Log in             email %s, password %s
  Heartland sandbox  %s/api   (Authorization: Bearer sandbox-token)
  Epicor sandbox     %s   (user manager/manager, x-api-key: sandbox-api-key)

Create an order in Heartland and watch it reach Epicor:
  curl -X POST %s/_sandbox/events/sales_order -d '{"customer_id":100122,"station_id":100011,"source_location_id":100001,"lines":[{"item_lookup":"SKU-1001","qty":2},{"item_lookup":"SKU-1001","qty":1}]}'
  TOKEN=$(curl -s %s/api/v1/auth/token -H 'Content-Type: application/json' -d '{"email":"%s","password":"%s","tenant":"%s"}' | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
  curl -H "Authorization: Bearer $TOKEN" %s/api/v1/runs
  curl -u manager:manager -H 'x-api-key: sandbox-api-key' "%s/api/v2/odata/EPIC06/Erp.BO.SalesOrderSvc/SalesOrders?\$filter=startswith(PONum,'HL-')"
`, base, demo.TenantSlug, flows, len(res.Flows), demo.Email, demo.Password,
		sb.HeartlandURL, sb.EpicorURL, sb.HeartlandURL, base, demo.Email, demo.Password, demo.TenantSlug, base, sb.EpicorURL+"/kinetic")
	return sb, nil
}
