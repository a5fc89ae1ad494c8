package store

import (
	"errors"
	"fmt"
	"reflect"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Every tenant-owned model has a TenantID field. Queries on such models go
// through one mechanism: a scope set on the statement (Store.Tenant) that GORM
// callbacks turn into a tenant_id condition on reads, updates and deletes, and
// into the TenantID value on inserts. A statement on a tenant-owned model with
// no scope fails, unless the caller explicitly chose the system scope for a
// cross-tenant lookup (resolving an API key or a webhook id, a worker loading
// its run by id).
const (
	tenantKey = "bridgework:tenant_id"
	systemKey = "bridgework:system"
)

// ErrUnscoped reports a query on a tenant-owned table without a tenant scope.
var ErrUnscoped = errors.New("store: query on a tenant-owned table without a tenant scope")

func registerTenancy(db *gorm.DB) error {
	cb := db.Callback()
	steps := []error{
		cb.Query().Before("gorm:query").Register("bridgework:tenant_query", scopeToTenant),
		cb.Row().Before("gorm:row").Register("bridgework:tenant_row", scopeToTenant),
		cb.Update().Before("gorm:update").Register("bridgework:tenant_update", scopeToTenant),
		cb.Delete().Before("gorm:delete").Register("bridgework:tenant_delete", scopeToTenant),
		cb.Create().Before("gorm:create").Register("bridgework:tenant_create", stampTenant),
	}
	if err := errors.Join(steps...); err != nil {
		return fmt.Errorf("store: register tenancy callbacks: %w", err)
	}
	return nil
}

// tenantOwned reports whether the statement's model has a TenantID field.
func tenantOwned(db *gorm.DB) bool {
	return db.Statement.Schema != nil && db.Statement.Schema.LookUpField("TenantID") != nil
}

func scopeToTenant(db *gorm.DB) {
	if db.Error != nil || !tenantOwned(db) {
		return
	}
	if tid, ok := db.Get(tenantKey); ok {
		db.Statement.AddClause(clause.Where{Exprs: []clause.Expression{
			clause.Eq{Column: clause.Column{Table: clause.CurrentTable, Name: "tenant_id"}, Value: tid},
		}})
		return
	}
	if _, ok := db.Get(systemKey); !ok {
		db.AddError(fmt.Errorf("%w (table %s)", ErrUnscoped, db.Statement.Table))
	}
}

func stampTenant(db *gorm.DB) {
	if db.Error != nil || !tenantOwned(db) {
		return
	}
	tid, ok := db.Get(tenantKey)
	if !ok {
		if _, sys := db.Get(systemKey); !sys {
			db.AddError(fmt.Errorf("%w (insert into %s)", ErrUnscoped, db.Statement.Table))
		}
		return
	}
	field := db.Statement.Schema.LookUpField("TenantID")
	rv := db.Statement.ReflectValue
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		for i := 0; i < rv.Len(); i++ {
			if err := field.Set(db.Statement.Context, reflect.Indirect(rv.Index(i)), tid); err != nil {
				db.AddError(err)
			}
		}
	case reflect.Struct:
		if err := field.Set(db.Statement.Context, rv, tid); err != nil {
			db.AddError(err)
		}
	}
}
