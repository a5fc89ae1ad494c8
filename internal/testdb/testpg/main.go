// Command testpg provides Postgres to the test suite: `testpg env` prints shell
// exports for a server to use (starting a throwaway cluster when none
// answers), `testpg stop DATADIR` stops a cluster it started.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/bridgework/bridgework/internal/testdb"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: testpg env | testpg stop DATADIR")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "env":
		url, cluster, err := testdb.FindServer(context.Background())
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Printf("export TEST_DATABASE_URL=%q\n", url)
		if cluster != nil {
			fmt.Printf("export TESTPG_DATADIR=%q\n", cluster.DataDir)
		}
	case "stop":
		if len(os.Args) != 3 {
			fmt.Fprintln(os.Stderr, "usage: testpg stop DATADIR")
			os.Exit(2)
		}
		if err := testdb.StopDataDir(os.Args[2]); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	default:
		fmt.Fprintf(os.Stderr, "testpg: unknown command %q\n", os.Args[1])
		os.Exit(2)
	}
}
