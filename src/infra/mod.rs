//! The AWS side of a live talk: the CloudFormation stack in infra/, deployed and destroyed in
//! one command each.
