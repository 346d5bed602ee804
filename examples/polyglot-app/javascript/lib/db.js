"use strict";

// Connections to the order database (MySQL) and the customer store (MongoDB).
const mysql = require("mysql");
const { MongoClient } = require("mongodb");

const pool = mysql.createPool({ host: process.env.DB_HOST, user: "shop", password: process.env.DB_PASSWORD, database: "shop" });
const mongo = new MongoClient(process.env.MONGO_URL || "mongodb://localhost:27017");
const users = mongo.db("shop").collection("users");

module.exports = { query: (...args) => pool.query(...args), users };
