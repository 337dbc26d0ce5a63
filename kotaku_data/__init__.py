"""KOTAKU dashboard data package: schema, data layer, queries, charts and i18n (no Streamlit outside ui/)."""
