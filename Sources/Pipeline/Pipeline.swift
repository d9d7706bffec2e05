/// The pipeline core: parsing and validation rules, dedup, the SCD2 builder, marts and data
/// tests, with an in-memory and a PostgreSQL engine.
///
/// Not built yet: this module only reserves its place in the package (it must never import
/// `ChaosOracle`). The rules arrive with the in-memory pipeline issue.
public enum Pipeline {}
