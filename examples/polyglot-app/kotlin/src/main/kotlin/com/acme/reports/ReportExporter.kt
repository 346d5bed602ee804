// The reporting job of the polyglot example. No shipped rule pack reads Kotlin, so an
// assessment must say that these lines were not analyzed instead of calling them clean.
package com.acme.reports

import java.io.File
import java.sql.DriverManager

data class ReportRow(val customer: String, val total: Long)

class ReportExporter(private val jdbcUrl: String, private val outDir: File) {

    fun export(month: String): File {
        val rows = mutableListOf<ReportRow>()
        DriverManager.getConnection(jdbcUrl).use { connection ->
            // month comes from the scheduler's arguments; an analyzer would have to judge this
            val statement = connection.createStatement()
            val result = statement.executeQuery(
                "SELECT customer, SUM(total) FROM invoices WHERE month = '$month' GROUP BY customer"
            )
            while (result.next()) {
                rows += ReportRow(result.getString(1), result.getLong(2))
            }
        }
        val target = File(outDir, "report-$month.csv")
        target.writeText(rows.joinToString("\n") { "${it.customer},${it.total}" })
        return target
    }
}

fun main(args: Array<String>) {
    val exporter = ReportExporter(System.getenv("REPORTS_DB") ?: "jdbc:sqlite:reports.db", File("."))
    println(exporter.export(args.firstOrNull() ?: "2026-01"))
}
