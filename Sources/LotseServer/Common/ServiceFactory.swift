import Fluent
import Vapor

extension Application {
    /// Sets how a service is built on a database. `App/Services.swift` does this once for each service at start-up,
    /// and is the only place that builds one: features reach theirs through ``make(on:)``.
    func provide<Service>(_ make: @escaping @Sendable (any Database) -> Service) {
        storage[FactoryKey<Service>.self] = Factory(make: make)
    }

    /// The service on a database (a request's, or the application's for work outside requests).
    func make<Service>(on db: any Database) -> Service {
        guard let factory = storage[FactoryKey<Service>.self] else {
            fatalError("No \(Service.self) was provided: configure(_:_:) has not run")
        }
        return factory.make(db)
    }
}

private struct Factory<Service>: Sendable {
    let make: @Sendable (any Database) -> Service
}

private struct FactoryKey<Service>: StorageKey {
    typealias Value = Factory<Service>
}
