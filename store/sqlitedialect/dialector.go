// Package sqlitedialect is a GORM dialector for SQLite that runs on an existing
// *sql.DB opened with the pure-Go modernc.org/sqlite driver, so GORM and River
// share one connection pool. Schema changes come from SQL migrations, never from
// GORM, so the dialector only covers querying.
package sqlitedialect

import (
	"database/sql"
	"strconv"

	"gorm.io/gorm"
	"gorm.io/gorm/callbacks"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/logger"
	"gorm.io/gorm/migrator"
	"gorm.io/gorm/schema"
)

// Dialector implements gorm.Dialector over a shared *sql.DB.
type Dialector struct {
	DB *sql.DB
}

// New returns a dialector using db.
func New(db *sql.DB) Dialector { return Dialector{DB: db} }

// Name reports the dialect name GORM uses in its own branching.
func (Dialector) Name() string { return "sqlite" }

// Initialize wires the shared pool and SQLite's clause syntax into db.
func (d Dialector) Initialize(db *gorm.DB) error {
	db.ConnPool = d.DB
	callbacks.RegisterDefaultCallbacks(db, &callbacks.Config{
		CreateClauses:        []string{"INSERT", "VALUES", "ON CONFLICT", "RETURNING"},
		UpdateClauses:        []string{"UPDATE", "SET", "FROM", "WHERE", "RETURNING"},
		DeleteClauses:        []string{"DELETE", "FROM", "WHERE", "RETURNING"},
		LastInsertIDReversed: true,
	})
	db.ClauseBuilders["LIMIT"] = buildLimit
	db.ClauseBuilders["FOR"] = func(c clause.Clause, b clause.Builder) {
		if _, ok := c.Expression.(clause.Locking); ok {
			return // SQLite locks the whole database; row locks do not exist.
		}
		c.Build(b)
	}
	return nil
}

func buildLimit(c clause.Clause, b clause.Builder) {
	limit, ok := c.Expression.(clause.Limit)
	if !ok {
		c.Build(b)
		return
	}
	n := -1
	if limit.Limit != nil && *limit.Limit >= 0 {
		n = *limit.Limit
	}
	if n >= 0 || limit.Offset > 0 {
		b.WriteString("LIMIT " + strconv.Itoa(n))
	}
	if limit.Offset > 0 {
		b.WriteString(" OFFSET " + strconv.Itoa(limit.Offset))
	}
}

// Migrator returns GORM's generic migrator; Bridgework uses it only for introspection.
func (d Dialector) Migrator(db *gorm.DB) gorm.Migrator {
	return migrator.Migrator{Config: migrator.Config{DB: db, Dialector: d}}
}

// DataTypeOf maps a Go field to a SQLite column type.
func (Dialector) DataTypeOf(field *schema.Field) string {
	switch field.DataType {
	case schema.Bool, schema.Int, schema.Uint:
		return "INTEGER"
	case schema.Float:
		return "REAL"
	case schema.Time:
		return "DATETIME"
	case schema.Bytes:
		return "BLOB"
	default:
		return "TEXT"
	}
}

// DefaultValueOf returns the DEFAULT expression for a field.
func (Dialector) DefaultValueOf(field *schema.Field) clause.Expression {
	if field.AutoIncrement {
		return clause.Expr{SQL: "NULL"}
	}
	return clause.Expr{SQL: "DEFAULT"}
}

// BindVarTo writes a positional placeholder.
func (Dialector) BindVarTo(w clause.Writer, _ *gorm.Statement, _ interface{}) { w.WriteByte('?') }

// QuoteTo quotes an identifier, handling dotted names.
func (Dialector) QuoteTo(w clause.Writer, str string) {
	w.WriteByte('`')
	for i := 0; i < len(str); i++ {
		switch str[i] {
		case '`':
			w.WriteString("``")
		case '.':
			w.WriteString("`.`")
		default:
			w.WriteByte(str[i])
		}
	}
	w.WriteByte('`')
}

// Explain renders a statement with its arguments for logs.
func (Dialector) Explain(sql string, vars ...interface{}) string {
	return logger.ExplainSQL(sql, nil, `"`, vars...)
}

// SavePoint starts a nested transaction.
func (Dialector) SavePoint(tx *gorm.DB, name string) error {
	return tx.Exec("SAVEPOINT " + name).Error
}

// RollbackTo undoes a nested transaction.
func (Dialector) RollbackTo(tx *gorm.DB, name string) error {
	return tx.Exec("ROLLBACK TO SAVEPOINT " + name).Error
}
